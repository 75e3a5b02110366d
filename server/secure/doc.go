// Package secure holds the cryptography the reference server uses to keep citizens' identities
// confidential at rest: a [Cipher] that seals a field (SM4-GCM), an [Index] that turns a field into a
// keyed blind index for equality lookups (HMAC-SM3), and the [KeyProvider] seam through which the key
// comes in — a software master key from the environment or a file ([LoadKeys]), or a hardware security
// module or key management service that never lets the key out.
//
// Why: GB/T 39786-2021 (信息安全技术 信息系统密码应用基本要求) level 3 asks that important data — a
// citizen's ID number and phone number among them — be kept confidential at rest with approved (SM)
// algorithms and that the key be managed apart from the data; PIPL (个人信息保护法) art. 51 asks for
// encryption of personal information. So a citizen's name, phone, ID number, credit code and address
// are sealed before they reach the database, and the key never lives in the database.
//
// # The envelope
//
// [Cipher.Seal] returns
//
//	key id (1 byte) ‖ nonce (12 bytes, random) ‖ SM4-GCM ciphertext ‖ tag (16 bytes)
//
// The key id names which key sealed the value, so keys can rotate: a cipher built by [NewSM4GCM] with a
// current key and older keys seals with the current one and opens with whichever the envelope names.
// The key id byte is also authenticated (it is prefixed to the additional data), and the caller's
// additional data (aad) binds a sealed value to its place — the store passes the table, column and row
// id, so a sealed phone number copied into another row or column does not open. Nonces are 96 random
// bits: keep well under 2³² seals per key (rotate long before that).
//
// # The blind index
//
// [Index.Sum](field, value) is HMAC-SM3 under the index key over a length-prefixed field name and the
// value, so the same value gives the same 32 bytes in the same field (the lookup works), different
// bytes in another field (one column's index cannot be joined to another's), and different bytes under
// another key. Normalise the value (e.g. trim spaces, upper-case the ID number's check digit) before
// summing: the index matches bytes exactly. Rotating the index key means recomputing every index.
//
// # Keys
//
// [LoadKeys] reads a 32-byte master key, as 64 hexadecimal digits, from HOTLINE_KEY or from the file
// named by HOTLINE_KEY_FILE (which must not be readable, writable or executable by group or others).
// From it two independent keys are derived with HKDF (RFC 5869) instantiated with HMAC-SM3, salt
// "hotline/secure/v1":
//
//	encryption key (16 bytes, SM4) = HKDF-SM3(master, salt, info "hotline sm4-gcm encryption key", 16)
//	index key      (32 bytes)      = HKDF-SM3(master, salt, info "hotline hmac-sm3 blind index key", 32)
//
// so a leak of one derived key reveals neither the master nor the other key. The software key is
// given key id 1 ([SoftwareKeyID]). A missing key is [ErrNoKey], naming both variables; a malformed
// one is a *[KeyError] wrapping [ErrInvalidKey]. No error ever contains key material.
//
// # Replacing the software key with an HSM or KMS
//
// The server asks a [KeyProvider] for its [Keys] once at start. Two adapter shapes fit:
//
//   - A KMS with envelope encryption: store the master key wrapped by the KMS; the provider's Keys
//     method asks the KMS to unwrap it and calls [NewKeys]. The key is in memory, never on disk or in
//     the database.
//   - An HSM (密码机) that must keep the key inside: implement [Cipher] by calling the device's SM4-GCM
//     with a key handle (keeping the envelope layout above, so stored values stay readable by a software
//     cipher in tests and recovery) and [Index] by the device's HMAC-SM3, and return them from Keys.
//
// ExampleKeyProvider shows the second shape with a stand-in device.
package secure
