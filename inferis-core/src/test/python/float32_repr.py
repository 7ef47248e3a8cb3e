"""Python's repr of every float32 value widened to double, summarised per block of 2^24 bit
patterns: the block, the count of finite values and the SHA-256 of their reprs, each followed by a
newline. io.inferis.feast.Float32ReprCheck prints the same for inferis; equal output means equal
text for all 4,278,190,080 finite float32 values.

Usage: python3 float32_repr.py [FIRST_BLOCK LAST_BLOCK_EXCLUSIVE]   (blocks 0 to 256)
"""
import array
import hashlib
import math
import sys

BLOCK = 1 << 24
CHUNK = 1 << 20

first = int(sys.argv[1]) if len(sys.argv) > 1 else 0
last = int(sys.argv[2]) if len(sys.argv) > 2 else 256
for block in range(first, last):
    digest = hashlib.sha256()
    count = 0
    for start in range(block * BLOCK, (block + 1) * BLOCK, CHUNK):
        floats = array.array("f")
        floats.frombytes(array.array("I", range(start, start + CHUNK)).tobytes())
        # Only the blocks of exponent 0xFF hold infinities and NaNs.
        values = [v for v in floats if math.isfinite(v)] if (block & 0x7F) == 0x7F else floats
        text = "\n".join(map(repr, values))
        if text:
            digest.update(text.encode())
            digest.update(b"\n")
        count += len(values)
    print(block, count, digest.hexdigest(), flush=True)
