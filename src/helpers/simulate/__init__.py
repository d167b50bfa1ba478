"""Seeded Monte-Carlo models used in the lessons.

contracts  milestone contracts when schedule predictions are wrong: rigid (renegotiate at every
           missed milestone) versus flexible (a tolerance band) -- lesson 01.

Import the sub-module you need, e.g. ``from helpers.simulate import contracts``.
"""
