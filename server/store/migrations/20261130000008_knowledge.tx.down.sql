DROP TABLE IF EXISTS library_case_events
--bun:split
DROP TABLE IF EXISTS library_cases
--bun:split
DROP TABLE IF EXISTS kb_counter
--bun:split
DROP TABLE IF EXISTS kb_tags
--bun:split
DROP TABLE IF EXISTS kb_terms
--bun:split
DROP TABLE IF EXISTS kb_blocks
--bun:split
DROP TABLE IF EXISTS kb_docs
--bun:split
DROP TABLE IF EXISTS kb_entry_versions
--bun:split
DROP TABLE IF EXISTS kb_entries
--bun:split
DROP TABLE IF EXISTS attachment_chunks
--bun:split
DROP TABLE IF EXISTS attachment_blobs
--bun:split
DROP TABLE IF EXISTS attachments
