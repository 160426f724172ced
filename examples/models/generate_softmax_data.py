#!/usr/bin/env python3
"""Writes softmax.csv: 300 rows of four standard-normal features x1..x4 and a class label in
1, 2, 3 drawn with P(label = c) = softmax(x W + b)_c for a fixed W and b, from Python's
Mersenne Twister seeded with 11 (random.Random is stable across Python versions). Run it from
this folder: python3 generate_softmax_data.py > softmax.csv"""
import math
import random

rng = random.Random(11)
W = ((1.5, -1.0, 0.0), (0.0, 2.0, -1.5), (-1.0, 0.5, 1.0), (0.5, 0.0, -0.5))
b = (0.2, -0.1, 0.0)
print("x1,x2,x3,x4,label")
for _ in range(300):
    x = [round(rng.gauss(0.0, 1.0), 4) for _ in W]
    z = [b[c] + sum(x[j] * W[j][c] for j in range(len(x))) for c in range(3)]
    m = max(z)
    p = [math.exp(zc - m) for zc in z]
    u = rng.random() * sum(p)
    label = 1 if u < p[0] else (2 if u < p[0] + p[1] else 3)
    print(",".join(f"{xi:.4f}" for xi in x) + f",{label}")
