package secure_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/hotline12345/hotline/server/secure"
)

func Example() {
	// In the server: keys, err := secure.LoadKeys(os.Getenv) with HOTLINE_KEY or HOTLINE_KEY_FILE set.
	keys, err := secure.LoadKeys(func(name string) string {
		if name == secure.EnvKey {
			return "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		}
		return ""
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	aad := []byte("ticket_people/phone/0192f0c4") // table, column, row: the value cannot be moved
	sealed, _ := keys.Cipher.Seal([]byte("13800138000"), aad)
	plain, _ := keys.Cipher.Open(sealed, aad)
	_, moved := keys.Cipher.Open(sealed, []byte("ticket_people/phone/0192f0c5"))

	same := bytes.Equal(keys.Index.Sum("phone", []byte("13800138000")), keys.Index.Sum("phone", []byte("13800138000")))
	crossField := bytes.Equal(keys.Index.Sum("phone", []byte("13800138000")), keys.Index.Sum("id_number", []byte("13800138000")))

	fmt.Println("sealed bytes:", len(sealed), "key id:", sealed[0])
	fmt.Println("opened:", string(plain))
	fmt.Println("moved to another row:", moved)
	fmt.Println("same caller, same index:", same)
	fmt.Println("same bytes in another field match:", crossField)

	_, err = secure.LoadKeys(func(string) string { return "" })
	fmt.Println(err)
	// Output:
	// sealed bytes: 40 key id: 1
	// opened: 13800138000
	// moved to another row: secure: cannot open sealed value
	// same caller, same index: true
	// same bytes in another field match: false
	// secure: no encryption key: set HOTLINE_KEY (64 hexadecimal digits) or HOTLINE_KEY_FILE (a file holding them, mode 0600 or stricter)
}

// device stands in for an HSM (密码机) that keeps its keys inside and exposes SM4-GCM and HMAC-SM3
// by key handle. A real adapter calls the vendor's SDK (SDF/SKF interface, GM/T 0018) in these methods.
type device struct{ keys secure.Keys }

func (d *device) encrypt(handle int, plain, aad []byte) ([]byte, error) {
	return d.keys.Cipher.Seal(plain, aad)
}
func (d *device) decrypt(handle int, sealed, aad []byte) ([]byte, error) {
	return d.keys.Cipher.Open(sealed, aad)
}
func (d *device) mac(handle int, msg []byte) []byte { return d.keys.Index.Sum("", msg) }

// hsmCipher and hsmIndex adapt the device to secure.Cipher and secure.Index.
type hsmCipher struct {
	dev    *device
	handle int
}

func (c hsmCipher) Seal(plain, aad []byte) ([]byte, error) {
	return c.dev.encrypt(c.handle, plain, aad)
}
func (c hsmCipher) Open(sealed, aad []byte) ([]byte, error) {
	return c.dev.decrypt(c.handle, sealed, aad)
}

type hsmIndex struct {
	dev    *device
	handle int
}

func (x hsmIndex) Sum(field string, value []byte) []byte {
	msg := append([]byte(field+"\x00"), value...) // a real adapter length-prefixes, as HMACSM3 does
	return x.dev.mac(x.handle, msg)
}

// An HSM adapter: the key never leaves the device; the server only sees a KeyProvider.
func ExampleKeyProvider() {
	stand, _ := secure.NewKeys(bytes.Repeat([]byte{7}, secure.MasterKeySize))
	dev := &device{keys: stand}
	var provider secure.KeyProvider = secure.KeyProviderFunc(func(ctx context.Context) (secure.Keys, error) {
		return secure.Keys{Cipher: hsmCipher{dev, 1}, Index: hsmIndex{dev, 2}}, nil
	})

	keys, err := provider.Keys(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	sealed, _ := keys.Cipher.Seal([]byte("张三"), []byte("row-1"))
	plain, _ := keys.Cipher.Open(sealed, []byte("row-1"))
	fmt.Println(string(plain), len(keys.Index.Sum("name", []byte("张三"))))
	// Output:
	// 张三 32
}
