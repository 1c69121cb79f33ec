/* Generated from history.schema.json by json-schema-to-typescript 16.0.0 (scripts/generate_types.py).
 * Do not edit: change the JSON Schema and regenerate. */

/**
 * The steps a person has taken through allykit prompts, as stable ids. See docs/sequencing.md.
 */
export interface AllykitHistory {
/**
 * Optional pointer to this JSON Schema.
 */
$schema?: (string | null)
/**
 * Steps taken, oldest first.
 */
entries?: HistoryEntry[]
/**
 * Version of the file format.
 */
schema_version?: 1
}
/**
 * This interface was referenced by `AllykitHistory`'s JSON-Schema
 * via the `definition` "HistoryEntry".
 */
export interface HistoryEntry {
/**
 * Id of the reflective cycle whose prompt was shown, or null.
 */
cycle?: (string | null)
/**
 * Id of the reflective-cycle stage, or null.
 */
cycle_step?: (string | null)
/**
 * Id of the framework, or null.
 */
framework?: (string | null)
/**
 * Id of the prompt shown.
 */
prompt: string
/**
 * Id of the framework stage, or null.
 */
stage?: (string | null)
}
