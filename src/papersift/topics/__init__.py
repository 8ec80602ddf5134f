"""Topic threads: clustering of paper embeddings, readable labels, the 2-D map, trending."""
