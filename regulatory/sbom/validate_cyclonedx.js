// Validates a CycloneDX 1.5 JSON BOM against the official JSON schema (strict variant), using the
// schema files and validator of @cyclonedx/cyclonedx-library pinned in tools/npm.
//
// usage: node validate_cyclonedx.js TOOLS_NPM_DIR BOM.json
// exit:  0 valid; 1 invalid (the schema errors are printed); 2 usage or setup error
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

async function main() {
  if (process.argv.length !== 4) {
    console.error('usage: node validate_cyclonedx.js TOOLS_NPM_DIR BOM.json');
    return 2;
  }
  const [toolsDir, bomPath] = process.argv.slice(2);
  const requireFromTools = createRequire(path.resolve(toolsDir, 'package.json'));
  const { Validation, Spec } = requireFromTools('@cyclonedx/cyclonedx-library');
  const validator = new Validation.JsonStrictValidator(Spec.Version.v1dot5);
  const errors = await validator.validate(fs.readFileSync(bomPath, 'utf8'));
  if (errors === null) {
    console.log(`${bomPath}: valid CycloneDX 1.5`);
    return 0;
  }
  console.log(`${bomPath}: NOT valid CycloneDX 1.5:`);
  console.log(JSON.stringify(errors, null, 2));
  return 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`validate_cyclonedx: ${err.message}`);
  process.exit(2);
});
