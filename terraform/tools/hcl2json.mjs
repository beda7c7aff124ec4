// Prints every .tf file of a folder as one JSON object {file name: parsed HCL}.
// Exits 1 naming the file when one does not parse.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node hcl2json.mjs TERRAFORM_DIR");
  process.exit(2);
}
const parsed = {};
for (const file of readdirSync(dir).filter(f => f.endsWith(".tf") || f.endsWith(".tfvars")).sort()) {
  try {
    parsed[file] = await parse(file, readFileSync(join(dir, file), "utf8"));
  } catch (e) {
    console.error(`${file}: does not parse: ${e.message ?? e}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(parsed));
