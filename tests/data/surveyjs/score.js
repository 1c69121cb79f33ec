// Score allykit's SurveyJS exports with SurveyJS's own engine (survey-core).
//
// Reads JSON lines from standard input, each an array of cases
// [{"form": ..., "answers": {...}}, ...], and answers each line with one JSON
// line: for each case, the calculated values after the answers are set
// ("values", null for undefined), the survey's data ("data"; calculated values
// with includeIntoResult are in it) and any error ("error"). Each case may
// also hold "then": answers set afterwards (null clears a question), to see
// what a calculated value becomes once it was computed.
// Run with NODE_PATH naming the node_modules folder that holds survey-core.
"use strict";
const readline = require("readline");
const Survey = require("survey-core");

function run({ form, answers, then }) {
  try {
    const model = new Survey.Model(form);
    for (const step of [answers, then || {}]) {
      for (const [name, value] of Object.entries(step)) {
        if (value === null) model.clearValue(name);
        else model.setValue(name, value);
      }
    }
    const values = {};
    for (const calc of model.calculatedValues) {
      values[calc.name] = calc.value === undefined ? null : calc.value;
    }
    const titles = model.getAllQuestions().map((q) => ({
      name: q.name,
      title: q.processedTitle,
      choices: (q.visibleChoices || []).map((c) => c.text),
    }));
    return { values, data: model.data, titles, title: model.processedTitle,
      description: model.processedDescription || model.description };
  } catch (error) {
    return { error: String(error && error.stack ? error.stack : error) };
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  process.stdout.write(JSON.stringify(JSON.parse(line).map(run)) + "\n");
});
