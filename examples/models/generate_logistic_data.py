#!/usr/bin/env python3
"""Writes logistic.csv: 200 rows of three standard-normal features x1, x2, x3 and a 0/1 label
drawn with P(label = 1) = sigmoid(1.5 x1 - 2 x2 + 0.5 x3 - 0.3), from Python's Mersenne
Twister seeded with 7 (random.Random is stable across Python versions). Run it from this
folder: python3 generate_logistic_data.py > logistic.csv"""
import math
import random

rng = random.Random(7)
weights, bias = (1.5, -2.0, 0.5), -0.3
print("x1,x2,x3,label")
for _ in range(200):
    x = [round(rng.gauss(0.0, 1.0), 4) for _ in weights]
    z = sum(w * xi for w, xi in zip(weights, x)) + bias
    label = 1 if rng.random() < 1.0 / (1.0 + math.exp(-z)) else 0
    print(",".join(f"{xi:.4f}" for xi in x) + f",{label}")
