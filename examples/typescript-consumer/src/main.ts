// Walk a framework of the allykit catalogue bundle: its stages in order and
// the reflective prompts of each. The bundle is plain JSON; the types come
// from its declarations (generated from allykit's JSON Schemas), so a
// renamed field fails this program's type check, not its users.
//
//   node dist/main.js [FRAMEWORK_ID]     (default: ally-model)

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import type { AllykitBundleIndex, AllykitFramework, framework } from "allykit-catalogue";

const require = createRequire(import.meta.url);
const bundleRoot = dirname(require.resolve("allykit-catalogue/index.json"));

function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(join(bundleRoot, relative), "utf8"));
}

const index = readJson("index.json") as AllykitBundleIndex;
const wanted = process.argv[2] ?? "ally-model";
const entry = index.documents.find(
  (document) => document.kind === "framework" && document.id === wanted,
);
if (entry === undefined) {
  const known = index.documents
    .filter((document) => document.kind === "framework")
    .map((document) => document.id);
  console.error(`no framework ${wanted} in ${index.name} ${index.version}; try one of: ${known.join(", ")}`);
  process.exit(1);
}

const model = readJson(entry.path) as AllykitFramework;
const stages: framework.Stage[] = [...(model.stages ?? [])].sort(
  (a, b) => a.position - b.position,
);
const prompts: framework.ReflectivePrompt[] = model.prompts ?? [];

console.log(`${model.name} (${entry.version ?? "unversioned"}, licence ${model.licence.spdx ?? "see note"})`);
for (const stage of stages) {
  console.log(`${stage.position}. ${stage.name}: ${stage.summary}`);
  for (const prompt of prompts.filter((p) => p.stage === stage.id)) {
    console.log(`   - ${prompt.text}`);
  }
}
const cited = model.citations.map((citation) => `${citation.authors.join(", ")} (${citation.year ?? "n.d."})`);
console.log(`Cited: ${cited.join("; ")}`);
