"""Drishti model pipeline: data prep, training, export, quantization, evaluation and packaging."""

MODEL_ID = "drishti-fashion"
