// The browser's Indonesian stemmer gives the stems of tests/search/stems.tsv,
// the same table the Python stemmer is tested with (tests/test_search_stemmer.py).
"use strict"
const { test } = require("node:test")
const assert = require("node:assert/strict")
const fs = require("node:fs")
const path = require("node:path")

const root = path.resolve(__dirname, "..", "..")
const { createStemmer } = require(path.join(root, "overrides/assets/javascripts/lunr/min/lunr.id.min.js"))

function lines(file) {
  return fs.readFileSync(path.join(root, file), "utf8").split("\n")
    .map(line => line.split("#")[0].trim()).filter(Boolean)
}

const stem = createStemmer(lines("hooks/infohub/data/id-roots.txt"))
const table = lines("tests/search/stems.tsv").map(line => line.split("\t"))

test("the table is large enough to mean something", () => {
  assert.ok(table.length >= 200, `only ${table.length} pairs`)
})

test("every word stems as the table says", () => {
  const wrong = table.filter(([word, expected]) => stem(word) !== expected)
    .map(([word, expected]) => `${word}: expected ${expected}, got ${stem(word)}`)
  assert.deepEqual(wrong, [])
})
