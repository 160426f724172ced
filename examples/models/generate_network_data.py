#!/usr/bin/env python3
"""Writes network.csv: 200 rows of two features x1, x2 uniform in [-2, 2] and a target
y = sin(x1) * cos(x2) + 0.3 x2 + noise (normal, sd 0.05), from Python's Mersenne Twister
seeded with 5 (random.Random is stable across Python versions). Run it from this folder:
python3 generate_network_data.py > network.csv"""
import math
import random

rng = random.Random(5)
print("x1,x2,y")
for _ in range(200):
    x1, x2 = round(rng.uniform(-2, 2), 4), round(rng.uniform(-2, 2), 4)
    y = math.sin(x1) * math.cos(x2) + 0.3 * x2 + rng.gauss(0.0, 0.05)
    print(f"{x1:.4f},{x2:.4f},{y:.4f}")
