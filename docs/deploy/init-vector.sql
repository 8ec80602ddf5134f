-- Run once by the postgres image when the database is created: papersift then keeps its
-- vectors in an HNSW index in the database (migration 0004_embeddings).
CREATE EXTENSION IF NOT EXISTS vector;
