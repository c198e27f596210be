// khronos_validate.cjs - runs the Khronos glTF-Validator (npm package
// gltf-validator) over .glb/.gltf files: prints each file's error, warning
// and info counts and every error, and exits 1 when any file has an error.
// Usage: NODE_PATH=<dir with node_modules> node khronos_validate.cjs FILE...
'use strict';
const fs = require('fs');
const path = require('path');
const validator = require('gltf-validator');

async function check(file) {
    const report = await validator.validateBytes(new Uint8Array(fs.readFileSync(file)), {
        uri: path.basename(file),
        externalResourceFunction: (uri) => Promise.resolve(
            new Uint8Array(fs.readFileSync(path.resolve(path.dirname(file), decodeURIComponent(uri))))),
    });
    const i = report.issues;
    console.log(`${file}: ${i.numErrors} errors, ${i.numWarnings} warnings, ${i.numInfos} infos ` +
                `(validator ${report.validatorVersion})`);
    for (const m of i.messages.filter((m) => m.severity === 0))
        console.log(`  ${m.pointer || '/'}: ${m.code}: ${m.message}`);
    return i.numErrors;
}

(async () => {
    const files = process.argv.slice(2);
    if (files.length === 0) {
        console.error('usage: khronos_validate.cjs FILE...');
        process.exit(2);
    }
    let errors = 0;
    for (const f of files)
        errors += await check(f);
    process.exit(errors ? 1 : 0);
})().catch((e) => {
    console.error(e);
    process.exit(2);
});
