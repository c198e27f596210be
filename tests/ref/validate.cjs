// validate.cjs - the Khronos glTF-Validator (npm gltf-validator) over the
// generated test models: each must have no error and no warning, except the
// warnings a model exists to provoke (normal_generated.glb has a normal map
// and no TANGENT on purpose). Prints one line per file; exit 1 on a problem.
//
//   NODE_PATH=<npm dir>/node_modules node validate.cjs FILE...
'use strict';
const fs = require('fs');
const path = require('path');
const validator = require('gltf-validator');

const EXPECTED_WARNINGS = { 'normal_generated.glb': ['MESH_PRIMITIVE_GENERATED_TANGENT_SPACE'] };

async function check(file) {
    const r = await validator.validateBytes(new Uint8Array(fs.readFileSync(file)), { uri: path.basename(file) });
    const allowed = EXPECTED_WARNINGS[path.basename(file)] ?? [];
    const bad = r.issues.messages.filter((m) => m.severity === 0 || (m.severity === 1 && !allowed.includes(m.code)));
    console.log(`${path.basename(file)}: ${r.issues.numErrors} errors, ${r.issues.numWarnings} warnings` +
        `${allowed.length ? ` (expected: ${allowed.join(', ')})` : ''}, ${r.issues.numInfos} infos`);
    for (const m of bad) console.log(`  ${m.severity ? 'warning' : 'error'} ${m.pointer || '/'}: ${m.code}: ${m.message}`);
    return bad.length;
}

(async () => {
    let bad = 0;
    for (const f of process.argv.slice(2)) bad += await check(f);
    process.exit(bad ? 1 : 0);
})().catch((e) => { console.error(`validate: ${e.stack ?? e}`); process.exit(2); });
