/* Generated from instrument.schema.json by json-schema-to-typescript 16.0.0 (scripts/generate_types.py).
 * Do not edit: change the JSON Schema and regenerate. */

/**
 * One reflection inventory or published scale: response scale, items, scoring keys, bands, citations and licence. See docs/scoring.md.
 */
export interface AllykitInstrument {
/**
 * Optional pointer to this JSON Schema.
 */
$schema?: (string | null)
/**
 * Bands.
 */
bands?: Band[]
/**
 * Sources; at least one.
 */
citations: Citation[]
/**
 * Id of its framework, or null.
 */
framework?: (string | null)
/**
 * Stable kebab-case id.
 */
id: string
/**
 * What it is for, and not for.
 */
intended_use: string
/**
 * Items.
 */
items?: Item[]
/**
 * BCP 47 language tag.
 */
language?: string
licence: Licence
/**
 * Human-readable title.
 */
name: string
/**
 * Published-scale record, or null.
 */
published?: (PublishedScale | null)
/**
 * Shared answer options, or null.
 */
response_scale?: (ResponseScale | null)
/**
 * Keys.
 */
scales?: Scale[]
/**
 * Version of the file format.
 */
schema_version?: 1
/**
 * One or two sentences.
 */
summary: string
/**
 * Free-form labels.
 */
tags?: string[]
/**
 * Psychometrically validated?
 */
validated?: boolean
/**
 * Content version.
 */
version?: string
}
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
 * via the `definition` "Band".
 */
export interface Band {
/**
 * Longer text.
 */
description?: string
/**
 * Stable kebab-case id.
 */
id: string
/**
 * Description of the answers.
 */
label: string
/**
 * Upper end (exclusive, but for the top).
 */
max: number
/**
 * Lowest score in the band.
 */
min: number
/**
 * Framework prompt ids to suggest.
 */
prompts?: string[]
/**
 * Id of its scale.
 */
scale: string
/**
 * Stage to work on next, or null.
 */
stage?: (string | null)
}
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
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
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
 * via the `definition` "Item".
 */
export interface Item {
/**
 * Stable kebab-case id.
 */
id: string
/**
 * Own answer options, or null.
 */
response_scale?: (ResponseScale | null)
/**
 * Reverse-keyed.
 */
reverse?: boolean
/**
 * Wording, or empty.
 */
text?: string
/**
 * Positive weight.
 */
weight?: number
}
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
 * via the `definition` "ResponseScale".
 */
export interface ResponseScale {
/**
 * Extra labels for choices.
 */
aliases?: Alias[]
/**
 * Options in increasing order of value.
 * 
 * @minItems 2
 */
choices: [Choice, Choice, ...(Choice)[]]
/**
 * Declared highest value.
 */
max: number
/**
 * Declared lowest value.
 */
min: number
/**
 * Labels meaning 'does not apply'.
 */
not_applicable?: string[]
/**
 * Numeric codes meaning 'does not apply'.
 */
not_applicable_values?: number[]
}
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
 * via the `definition` "Alias".
 */
export interface Alias {
/**
 * The extra label.
 */
label: string
/**
 * Value of the choice it stands for.
 */
value: number
}
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
 * via the `definition` "Choice".
 */
export interface Choice {
/**
 * The label shown.
 */
label: string
/**
 * Framework stage this option stands for, or null.
 */
stage?: (string | null)
/**
 * The number it scores as.
 */
value: number
}
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
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
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
 * via the `definition` "PublishedScale".
 */
export interface PublishedScale {
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
 * Reported structure, own words.
 */
structure: string
/**
 * Subscales in published order.
 */
subscales?: Subscale[]
}
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
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
/**
 * This interface was referenced by `AllykitInstrument`'s JSON-Schema
 * via the `definition` "Scale".
 */
export interface Scale {
/**
 * What it describes.
 */
description?: string
/**
 * Stable kebab-case id.
 */
id: string
/**
 * Item ids it combines.
 * 
 * @minItems 1
 */
items: [string, ...(string)[]]
/**
 * sum, mean, pomp or median.
 */
method?: ("sum" | "mean" | "pomp" | "median")
/**
 * Fewest answered items for a score.
 */
min_answered?: number
/**
 * Fewest answered items, as a share of those that apply.
 */
min_answered_share?: number
/**
 * Human-readable name.
 */
name: string
/**
 * Framework stage it describes, or null.
 */
stage?: (string | null)
}
