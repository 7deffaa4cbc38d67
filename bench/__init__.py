"""Benchmarks (not tests): they print times, memory and ratios against a plain baseline."""
