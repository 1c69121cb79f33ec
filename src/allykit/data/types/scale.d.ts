/* Generated from scale.schema.json by json-schema-to-typescript 16.0.0 (scripts/generate_types.py).
 * Do not edit: change the JSON Schema and regenerate. */

/**
 * Metadata of a published allyship scale: counts, subscales, reliability and citation. Never item wording.
 */
export interface AllykitScale {
/**
 * Optional pointer to this JSON Schema.
 */
$schema?: (string | null)
/**
 * Abbreviation.
 */
abbreviation?: string
citation: Citation
/**
 * Version of this record.
 */
data_version?: string
/**
 * Stable kebab-case id.
 */
id: string
/**
 * Item count, or null.
 */
items?: (number | null)
licence: Licence
/**
 * Published name.
 */
name: string
/**
 * Caveats.
 */
note?: string
/**
 * Reported reliability figures.
 */
reliability?: string[]
/**
 * Response scale, or empty when unverified.
 */
response_format?: string
/**
 * Reported samples.
 */
samples?: string[]
/**
 * Version of the file format.
 */
schema_version?: 1
/**
 * Reported structure, own words.
 */
structure: string
/**
 * Subscales in published order.
 */
subscales?: Subscale[]
}
/**
 * This interface was referenced by `AllykitScale`'s JSON-Schema
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
 * This interface was referenced by `AllykitScale`'s JSON-Schema
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
 * This interface was referenced by `AllykitScale`'s JSON-Schema
 * via the `definition` "Subscale".
 */
export interface Subscale {
/**
 * Number of items, or null.
 */
items?: (number | null)
/**
 * Published subscale name.
 */
name: string
}
