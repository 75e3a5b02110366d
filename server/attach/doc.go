// Package attach is what the reference server needs to take files in and give them out again: the
// stamped conclusion report of a 国办 item (000 第四条 (三): 办结报告经本单位分管领导审核盖章，审核文档以
// 附件上传), the written defence and evidence of a bad-review appeal (000 第六条 (一): 提供书面申辩和举证),
// the basis of a responsibility objection (000 第七条), and any other file a ticket or a case carries.
//
// It is domain-free: it knows files, not tickets. The store decides who may see a file and records it;
// this package decides whether a file is acceptable and whether an act has the files it needs.
//
// # Taking a file in
//
// [Policy.Ingest] streams an upload once, from the request body to a [BlobStore]:
//
//   - the first 512 bytes are sniffed ([Sniff]): the type is read from the content, never from the
//     name or the Content-Type header; executables (ELF, PE, Mach-O, scripts with #!, WebAssembly,
//     Dalvik, Windows shortcuts) are refused whatever they are called ([ErrExecutable]), and a type the
//     policy does not list is refused too ([ErrType]);
//   - the bytes are hashed with SM3 (GB/T 32905) as they pass, so a file is addressed by its content
//     ([Sum]): the same bytes uploaded twice are stored once;
//   - more than [Policy].MaxBytes is refused as soon as the limit is crossed ([ErrTooLarge]), and
//     nothing of it is kept;
//   - a [Scanner] (a virus scanner) sees the same bytes as they pass and may refuse them
//     ([ErrInfected]); [NoScanner], the default, scans nothing and says so in its [Scanner.Name],
//     which the server shows in /readyz.
//
// Nothing is held whole in memory: a 20 MB upload passes through a 64 KiB buffer and whatever the
// blob store buffers (the database store: one chunk). The file name is cleaned by [CleanName] (no
// directories, control or bidirectional-override characters, reserved device names) and given the
// extension of its sniffed type when it claims another ([NameFor]).
//
// # Blob stores
//
// [BlobStore] is where the bytes go. The reference server keeps them in its database by default (the
// store's own implementation, in chunks, so no row or packet exceeds a MariaDB default). [Dir] keeps
// them in a directory, one file per content hash, written to a temporary file and renamed into place.
//
// An S3-compatible object store (MinIO, Ceph RGW, a cloud's OSS) is an adapter of the same interface,
// not shipped so that the module takes no SDK dependency: Create returns a writer that streams a
// multipart upload to a staging key ("staging/<uuid>"), Commit copies the staged object to
// "blobs/<sum>" (CopyObject; skipped when HeadObject finds it there already) and deletes the staging
// key, Abort aborts the multipart upload, and Open is GetObject of "blobs/<sum>". A bucket lifecycle
// rule expiring "staging/" after a day removes what a crash leaves behind.
//
// # Required attachments
//
// A [Policy] lists [Requirement]s: an act (a subject and an action, e.g. replying to a ticket) under a
// condition (a [Trait] such as a 国办 item) needs an attachment of a [Purpose]. [Policy.Check] is pure:
// given the [Facts] of an attempted act — what it is and the purposes of the attachments present — it
// returns nil or a [*MissingError] naming the attachment that is missing and the article requiring
// it. [Shanghai] requires the stamped report of a 国办 item's reply (000 第四条 (三)); a district adds
// [AppealEvidenceOnFile] to require an appeal's evidence on file (000 第六条 (一)). The store applies the
// check at the boundary of the act.
package attach
