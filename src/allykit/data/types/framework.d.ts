/* Generated from framework.schema.json by json-schema-to-typescript 16.0.0 (scripts/generate_types.py).
 * Do not edit: change the JSON Schema and regenerate. */

/**
 * One allyship framework: stages, characteristics, prompts, principles, citations and licence. See docs/data-format.md.
 */
export interface AllykitFramework {
/**
 * Optional pointer to this JSON Schema.
 */
$schema?: (string | null)
/**
 * Behaviours describing stages.
 */
characteristics?: Characteristic[]
/**
 * Sources; at least one.
 */
citations: Citation[]
/**
 * Whether stages repeat as a cycle.
 */
cyclic?: boolean
/**
 * Version of this content.
 */
data_version?: string
/**
 * Retired ids and their replacements.
 */
deprecated_ids?: DeprecatedId[]
/**
 * Longer text.
 */
description?: string
/**
 * Stable kebab-case id.
 */
id: string
/**
 * What sort of framework.
 */
kind: ("stage-model" | "practice-guide" | "continuum" | "repertoire" | "positionality-tool" | "reflective-cycle" | "typology" | "level-model")
/**
 * BCP 47 language tag.
 */
language?: string
licence: Licence
/**
 * allykit's own modelling decisions.
 */
modelling_notes?: ModellingNote[]
/**
 * Human-readable title.
 */
name: string
/**
 * Principles, lessons, perspectives.
 */
principles?: Principle[]
/**
 * Reflective prompts.
 */
prompts?: ReflectivePrompt[]
/**
 * Version of the file format.
 */
schema_version?: 1
/**
 * Prompts and principles kept by another framework, used here as they are there; loading adds them to prompts and principles.
 */
shared?: SharedItems[]
/**
 * Stages in order.
 */
stages?: Stage[]
/**
 * One or two sentences.
 */
summary: string
/**
 * Free-form labels.
 */
tags?: string[]
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "Characteristic".
 */
export interface Characteristic {
/**
 * What it involves.
 */
description: string
/**
 * Concrete behaviours.
 */
examples?: string[]
/**
 * Stable kebab-case id.
 */
id: string
/**
 * intrapersonal, interpersonal or system.
 */
level?: (("intrapersonal" | "interpersonal" | "system") | null)
/**
 * allykit's own modelling decisions here.
 */
modelling_notes?: ModellingNote[]
/**
 * Short title.
 */
name: string
/**
 * How it reads inside a sentence (after 'linked to'), or empty.
 */
phrase?: string
/**
 * Where in a citation this comes from, or null.
 */
source?: (SourceLocator | null)
/**
 * Id of the stage it describes, or null.
 */
stage?: (string | null)
/**
 * Free-form labels.
 */
tags?: string[]
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "ModellingNote".
 */
export interface ModellingNote {
/**
 * What the decision concerns.
 */
about: string
/**
 * Citation the decision follows, or null.
 */
citation?: (string | null)
/**
 * The decision and its reason.
 */
note: string
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "SourceLocator".
 */
export interface SourceLocator {
/**
 * Id of one of the framework's citations.
 */
citation: string
/**
 * Pages, or empty.
 */
pages?: string
/**
 * Paragraph numbers (see docs/sources.md).
 */
paragraphs?: number[]
/**
 * Heading of the section, or empty.
 */
section?: string
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "Citation".
 */
export interface Citation {
/**
 * Authors or corporate author, in citation order.
 */
authors: string[]
/**
 * Stable kebab-case id.
 */
id: string
/**
 * Edition, date, pages.
 */
note?: string
/**
 * Journal, publisher or site.
 */
publisher?: string
/**
 * Title of the work.
 */
title: string
/**
 * Public URL.
 */
url?: string
/**
 * Year, or null.
 */
year: (number | null)
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "DeprecatedId".
 */
export interface DeprecatedId {
/**
 * stages, characteristics, prompts, principles or citations.
 */
collection: ("stages" | "characteristics" | "prompts" | "principles" | "citations")
/**
 * The retired id.
 */
id: string
/**
 * Why it changed.
 */
note?: string
/**
 * The live id, in the same collection, that replaces it.
 */
replaced_by: string
/**
 * data_version in which it was retired.
 */
since: string
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "Licence".
 */
export interface Licence {
/**
 * Authorship and copyright note.
 */
note: string
/**
 * SPDX licence id, or null.
 */
spdx: (string | null)
/**
 * Licence URL.
 */
url?: string
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "Principle".
 */
export interface Principle {
/**
 * What it means.
 */
description: string
/**
 * Stable kebab-case id.
 */
id: string
/**
 * principle, lesson, perspective or application.
 */
kind?: ("principle" | "lesson" | "perspective" | "application")
/**
 * allykit's own modelling decisions here.
 */
modelling_notes?: ModellingNote[]
/**
 * Short title.
 */
name: string
/**
 * Where in a citation this comes from, or null.
 */
source?: (SourceLocator | null)
/**
 * Free-form labels.
 */
tags?: string[]
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "ReflectivePrompt".
 */
export interface ReflectivePrompt {
/**
 * Ids of the characteristics it works on.
 */
characteristics?: string[]
/**
 * Stage directions a template may be rendered for as written (towards, away, map); empty: towards only.
 */
fits?: ("towards" | "away" | "map")[]
/**
 * Stable kebab-case id.
 */
id: string
/**
 * question, exercise or scenario.
 */
kind?: ("question" | "exercise" | "scenario")
/**
 * allykit's own modelling decisions here.
 */
modelling_notes?: ModellingNote[]
/**
 * Where in a citation this comes from, or null.
 */
source?: (SourceLocator | null)
/**
 * Id of the stage it serves, or null.
 */
stage?: (string | null)
/**
 * Free-form labels.
 */
tags?: string[]
/**
 * The prompt text.
 */
text: string
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "SharedItems".
 */
export interface SharedItems {
/**
 * Id of the framework that keeps the items.
 */
framework: string
/**
 * Why they are shared.
 */
note?: string
/**
 * Ids of its principles used here, in order.
 */
principles?: string[]
/**
 * Ids of its prompts used here, in order.
 */
prompts?: string[]
}
/**
 * This interface was referenced by `AllykitFramework`'s JSON-Schema
 * via the `definition` "Stage".
 */
export interface Stage {
/**
 * Longer text.
 */
description?: string
/**
 * Which way the stage points: towards (practice to move towards), away (behaviour to move away from) or map (other people on a map); null: not stated, read as towards.
 */
direction?: (("towards" | "away" | "map") | null)
/**
 * Stable kebab-case id.
 */
id: string
/**
 * allykit's own modelling decisions here.
 */
modelling_notes?: ModellingNote[]
/**
 * Stage name.
 */
name: string
/**
 * How it reads inside a sentence (after 'linked to'), or empty.
 */
phrase?: string
/**
 * 1-based position in order.
 */
position: number
/**
 * Where in a citation this comes from, or null.
 */
source?: (SourceLocator | null)
/**
 * One or two sentences.
 */
summary: string
}
