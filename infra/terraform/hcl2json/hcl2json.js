#!/usr/bin/env node
// Converts Terraform files to JSON with @cdktf/hcl2json's WebAssembly build of HashiCorp's HCL parser.
// Usage: node hcl2json.js PACKAGE_DIR FILE...   (PACKAGE_DIR: the unpacked npm package, see Hcl2Json.targets)
// Prints one JSON object: each file's path to its document, in hcl2json's shape (blocks as arrays, expressions as
// "${...}" strings). An attribute that is exactly jsonencode(LITERAL) is replaced by LITERAL parsed with the same
// parser, so a GC rule written as jsonencode({ rules = [...] }) can be checked as data.
// Exits 1 with the file and the parser's message on any syntax error: a test must never see a half-converted tree.
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const [packageDir, ...files] = process.argv.slice(2);
if (!packageDir || files.length === 0) {
  console.error("usage: node hcl2json.js PACKAGE_DIR FILE...");
  process.exit(2);
}

async function start() {
  require(path.join(packageDir, "wasm", "bridge_wasm_exec.js"));
  const go = new globalThis.Go();
  const wasm = zlib.gunzipSync(fs.readFileSync(path.join(packageDir, "main.wasm.gz")));
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  const exports = {};
  globalThis.__parse_terraform_config_wasm__ = exports;
  go.run(instance);
  while (typeof exports.parse !== "function") {
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return (name, text) =>
    new Promise((resolve, reject) => exports.parse(name, text, (error, json) => (error ? reject(new Error(error)) : resolve(JSON.parse(json)))));
}

const jsonencodeCall = /^\$\{jsonencode\(([\s\S]*)\)\}$/;

async function decodeLiterals(parse, value) {
  if (Array.isArray(value)) {
    return Promise.all(value.map((item) => decodeLiterals(parse, item)));
  }
  if (value !== null && typeof value === "object") {
    const result = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = await decodeLiterals(parse, item);
    }
    return result;
  }
  const call = typeof value === "string" ? jsonencodeCall.exec(value) : null;
  if (call) {
    try {
      return (await parse("jsonencode.tf", `literal = ${call[1]}\n`)).literal;
    } catch {
      return value; // Not one literal (two calls, or a reference): left as the expression it is.
    }
  }
  return value;
}

start()
  .then(async (parse) => {
    const documents = {};
    for (const file of files) {
      try {
        documents[file] = await decodeLiterals(parse, await parse(file, fs.readFileSync(file, "utf8")));
      } catch (error) {
        throw new Error(`${file}: ${error.message}`);
      }
    }
    process.stdout.write(JSON.stringify(documents));
    process.exit(0);
  })
  .catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
