#!/bin/sh
# lesson bench and TensorFlow + XLA (anchor.py) alternately, ROUNDS times, on this machine.
# Usage: Reference/tf-anchor/side-by-side.sh /path/to/venv/bin/python [ROUNDS] [PRECISION]
# PRECISION (float32 or bf16) goes to both: lesson bench --precision, anchor.py --precision.
# Run from the repository root after `swift build -c release --product lesson`.
set -eu
python=$1
rounds=${2:-2}
precision=${3:-float32}
here=$(dirname "$0")
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores"
round=1
while [ "$round" -le "$rounds" ]; do
    echo "round $round"
    printf '  lesson: '
    .build/release/lesson bench --json --iterations 60 --warmup 5 --precision "$precision"
    printf '  '
    "$python" "$here/anchor.py" --iterations 60 --warmup 10 --precision "$precision" 2>/dev/null | tail -1
    round=$((round + 1))
done
