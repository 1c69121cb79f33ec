// Validate every document of an allykit bundle with ajv in strict mode, the
// validator a web app would use, and check each file's SHA-256 against the
// index. Usage (NODE_PATH names a folder holding ajv and ajv-formats):
//   node scripts/validate_bundle.cjs BUNDLE_DIR
// Prints one line per document that fails, then a summary; exit status 1
// if any document fails.
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function main() {
  const root = process.argv[2];
  if (!root) {
    process.stderr.write("usage: node validate_bundle.cjs BUNDLE_DIR\n");
    process.exit(2);
  }
  const index = readJson(path.join(root, "index.json"));
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const validators = {};
  for (const [kind, file] of Object.entries(index.schemas)) {
    validators[kind] = ajv.compile(readJson(path.join(root, file)));
  }
  const failures = [];
  const check = (what, validate, data) => {
    if (!validate(data)) {
      failures.push(`${what}: ${ajv.errorsText(validate.errors)}`);
    }
  };
  check("index.json", validators["bundle-index"], index);
  for (const entry of index.documents) {
    const file = path.join(root, entry.path);
    const bytes = fs.readFileSync(file);
    const digest = crypto.createHash("sha256").update(bytes).digest("hex");
    if (digest !== entry.sha256) {
      failures.push(`${entry.path}: SHA-256 ${digest} is not the index's ${entry.sha256}`);
    }
    const data = JSON.parse(bytes.toString("utf8"));
    if (data.id !== entry.id) {
      failures.push(`${entry.path}: id ${data.id} is not the index's ${entry.id}`);
    }
    check(entry.path, validators[entry.kind], data);
  }
  for (const line of failures) {
    process.stdout.write(line + "\n");
  }
  process.stdout.write(
    `${index.documents.length} documents, ${Object.keys(validators).length} schemas, ` +
      `${failures.length} failures\n`
  );
  process.exit(failures.length ? 1 : 0);
}

main();
