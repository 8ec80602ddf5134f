"""Recommendations: a per-user linear model on embeddings, with the reason for each pick."""
