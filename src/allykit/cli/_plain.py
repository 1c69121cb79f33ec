"""The tour printed by ``python -m allykit`` (a thin shell over the public API)."""

from __future__ import annotations

from collections.abc import Sequence

from allykit.catalog import available_frameworks, load_framework
from allykit.reflection import render_prompt

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the bundled catalogue and the ally model's stages; return 0."""
    del argv  # no options yet
    # Installed data packages are listed too: not all of them are bundled.
    print("allykit: available frameworks")
    for framework_id in available_frameworks():
        framework = load_framework(framework_id)
        print(f"  {framework.id:32} {framework.kind:20} {framework.name}")
    model = load_framework("ally-model")
    print()
    print(f"{model.name}: {model.summary}")
    for stage in model.stages:
        prompts = model.prompts_for(stage.id)
        print(f"\n{stage.position}. {stage.name}")
        print(f"   {stage.summary}")
        for characteristic in model.characteristics_for(stage.id):
            print(f"   - {characteristic.name}")
        if prompts:
            text = render_prompt(prompts[0], framework=model).text
            count = len(prompts)
            print(f"   e.g. {text}  ({count} {'prompt' if count == 1 else 'prompts'})")
    print()
    for citation in model.citations:
        print(f"Source: {citation}")
    print(f"Licence: {model.licence.spdx} - {model.licence.note}")
    return 0
