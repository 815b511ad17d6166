#!/usr/bin/env bash
# Regenerates proto/gen from proto/readings.proto. The output is committed so that a clean checkout
# type-checks without a code generator; test/unit/proto-generated.test.ts fails if it drifts.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p gen
npx pbjs -t static-module -w es6 --force-number --no-verify --no-convert --no-delimited \
  --dependency protobufjs/minimal.js -o gen/readings.js readings.proto
# pbjs emits `import * as $protobuf`, but protobufjs/minimal is CommonJS: under plain Node the
# namespace import has no `roots`. The default import is the module.exports object.
sed -i 's#^import \* as \$protobuf from "protobufjs/minimal.js";#import $protobuf from "protobufjs/minimal.js";#' gen/readings.js
npx pbts -o gen/readings.d.ts gen/readings.js
