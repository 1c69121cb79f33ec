/* Generated from bundle-index.schema.json by json-schema-to-typescript 16.0.0 (scripts/generate_types.py).
 * Do not edit: change the JSON Schema and regenerate. */

/**
 * index.json of a catalogue bundle written by allykit bundle: what it holds, with versions, hashes, licences and citations. See docs/bundle.md.
 */
export interface AllykitBundleIndex {
/**
 * Pointer to this JSON Schema.
 */
$schema?: string
/**
 * The allykit version that wrote the bundle.
 */
allykit_version: string
/**
 * Every document, frameworks first, then instruments, crosswalks and scales, each by id.
 */
documents: BundleDocument[]
/**
 * Version of the bundle layout and of this index.
 */
format: 1
/**
 * SPDX expression of what the bundle holds, or SEE LICENSE IN LICENCE.md.
 */
licence: string
/**
 * The npm package name.
 */
name: string
/**
 * Path of each JSON Schema, by what it describes.
 */
schemas: {
"bundle-index": string
crosswalk: string
framework: string
history: string
instrument: string
journey: string
scale: string
}
/**
 * The npm package version.
 */
version: string
}
/**
 * One document of the bundle.
 * 
 * This interface was referenced by `AllykitBundleIndex`'s JSON-Schema
 * via the `definition` "BundleDocument".
 */
export interface BundleDocument {
/**
 * The works the document cites.
 */
citations: Citation[]
/**
 * allykit's content hash: SHA-256 of the document's canonical JSON without $schema (Python: document.content_hash).
 */
content_hash: string
/**
 * The document's id, unique within its kind.
 */
id: string
/**
 * The kind of document, which names its schema.
 */
kind: ("framework" | "instrument" | "crosswalk" | "scale")
licence: Licence
/**
 * Human-readable title.
 */
name: string
/**
 * The document's file, relative to the bundle.
 */
path: string
/**
 * SHA-256 of the file's bytes.
 */
sha256: string
/**
 * "bundled", the plugin package that provides it, or "file: NAME" for the caller's own file.
 */
source: string
/**
 * The document's data_version (or an instrument's version), or null.
 */
version: (string | null)
}
/**
 * This interface was referenced by `AllykitBundleIndex`'s JSON-Schema
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
 * This interface was referenced by `AllykitBundleIndex`'s JSON-Schema
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
