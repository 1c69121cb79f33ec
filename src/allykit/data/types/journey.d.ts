/* Generated from journey.schema.json by json-schema-to-typescript 16.0.0 (scripts/generate_types.py).
 * Do not edit: change the JSON Schema and regenerate. */

/**
 * A plan of sessions through a framework.
 */
export interface AllykitJourney {
/**
 * Optional pointer to this JSON Schema.
 */
$schema?: (string | null)
/**
 * Id of the framework.
 */
framework: string
/**
 * Version of the file format.
 */
schema_version?: 1
/**
 * Every session, in order.
 */
sessions: JourneySession[]
/**
 * Sessions a week.
 */
sessions_per_week: number
/**
 * Number of weeks.
 */
weeks: number
}
/**
 * This interface was referenced by `AllykitJourney`'s JSON-Schema
 * via the `definition` "JourneySession".
 */
export interface JourneySession {
/**
 * Session number, from 1.
 */
number: number
/**
 * A revisit.
 */
revisit?: boolean
/**
 * Id of the stage.
 */
stage: string
/**
 * Steps in the session.
 */
steps: number
/**
 * Week number, from 1.
 */
week: number
}
