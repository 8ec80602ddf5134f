"""Search: full text, embeddings, vectors and their fusion."""
