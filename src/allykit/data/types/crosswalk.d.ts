/* Generated from crosswalk.schema.json by json-schema-to-typescript 16.0.0 (scripts/generate_types.py).
 * Do not edit: change the JSON Schema and regenerate. */

/**
 * Directed stage-to-stage links between two allykit frameworks, each with a relation, a rationale and its basis. See docs/crosswalks.md.
 */
export interface AllykitCrosswalk {
/**
 * Optional pointer to this JSON Schema.
 */
$schema?: (string | null)
/**
 * Sources that make or inform links.
 */
citations?: Citation[]
/**
 * Version of this content.
 */
data_version?: string
/**
 * Longer text.
 */
description?: string
/**
 * Stable kebab-case id.
 */
id: string
licence: Licence
/**
 * Directed stage links; at least one.
 */
links: StageLink[]
/**
 * Human-readable title.
 */
name: string
/**
 * Version of the file format.
 */
schema_version?: 1
/**
 * Source framework id.
 */
source: string
/**
 * One or two sentences.
 */
summary: string
/**
 * Target framework id.
 */
target: string
}
/**
 * This interface was referenced by `AllykitCrosswalk`'s JSON-Schema
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
 * This interface was referenced by `AllykitCrosswalk`'s JSON-Schema
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
 * This interface was referenced by `AllykitCrosswalk`'s JSON-Schema
 * via the `definition` "StageLink".
 */
export interface StageLink {
/**
 * cited or editorial.
 */
basis?: ("cited" | "editorial")
/**
 * Citation id when basis is cited, else null.
 */
citation?: (string | null)
/**
 * Why they are linked, own words.
 */
rationale: string
/**
 * equivalent, broader, narrower or related (source vs target).
 */
relation: ("equivalent" | "broader" | "narrower" | "related")
/**
 * Stage id in the source framework.
 */
source: string
/**
 * Stage id in the target framework.
 */
target: string
}
