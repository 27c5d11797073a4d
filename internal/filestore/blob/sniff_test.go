package blob

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"testing"
	"unicode/utf16"

	"intake"
)

func TestStageSniffsType(t *testing.T) {
	const (
		docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		odt  = "application/vnd.oasis.opendocument.text"
	)
	wordCLSID := [16]byte{0x06, 0x09, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}
	tests := []struct {
		name string
		data []byte
		want string
		kind intake.DocumentKind // a kind that must accept want, or refuse it if want is octetStream
	}{
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"), "application/pdf", intake.DocPortfolio},
		{"docx", docxFile(t, nil), docx, intake.DocResume},
		// A thumbnail stored ahead of word/ pushes it past mimetype's 4 KiB
		// default limit.
		{"docx with a large first part", docxFile(t, randomBytes(t, 200<<10)), docx, intake.DocResume},
		{"odt", odtFile(t), odt, intake.DocResume},
		{"doc", cfbFile(wordCLSID, "WordDocument", 2), "application/msword", intake.DocResume},
		{"doc with its directory past 4 KiB", cfbFile(wordCLSID, "WordDocument", 40), "application/msword", intake.DocResume},
		{"generic ole", cfbFile([16]byte{}, "Contents", 2), octetStream, intake.DocResume},
		{"rtf", []byte(`{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} Jane Doe\par}`), "text/rtf", intake.DocResume},
		{"text", []byte("Jane Doe\nSoftware engineer\n"), "text/plain", intake.DocResume},
		{"utf-8 text", []byte("Zoë Ångström — ingénieure\n"), "text/plain", intake.DocResume},
		{"csv-like text", []byte("name,role\nJane,engineer\nJohn,designer\n"), "text/plain", intake.DocResume},
		{"html", []byte("<!DOCTYPE html><html><body>cv</body></html>"), "text/plain", intake.DocResume},
		{"jpeg", imageFile(t, "jpeg"), "image/jpeg", intake.DocAvatar},
		{"png", imageFile(t, "png"), "image/png", intake.DocAvatar},
		{"gif", imageFile(t, "gif"), "image/gif", intake.DocAvatar},
		{"webp", webpFile(), "image/webp", intake.DocAvatar},
		{"elf named cv.pdf", executablePrefix(t), octetStream, intake.DocResume},
		{"exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...), octetStream, intake.DocResume},
		{"zip", zipFile(t, "notes.txt"), octetStream, intake.DocResume},
		{"random", randomBytes(t, 4096), octetStream, intake.DocResume},
	}
	d := openDir(t, t.TempDir())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := d.Stage(t.Context(), bytes.NewReader(tt.data), intake.MaxResumeBytes)
			if err != nil {
				t.Fatal(err)
			}
			if b.ContentType != tt.want {
				t.Errorf("ContentType = %q, want %q", b.ContentType, tt.want)
			}
			if allowed := intake.AllowedType(tt.kind, b.ContentType); allowed != (tt.want != octetStream) {
				t.Errorf("AllowedType(%s, %q) = %v", tt.kind, b.ContentType, allowed)
			}
		})
	}
}

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// docxFile builds a minimal WordprocessingML package in the order Word
// writes it, with an optional thumbnail stored (uncompressed) first.
func docxFile(t testing.TB, thumbnail []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, method uint16, data []byte) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	add("[Content_Types].xml", zip.Deflate, []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	if thumbnail != nil {
		add("docProps/thumbnail.jpeg", zip.Store, thumbnail)
	}
	add("_rels/.rels", zip.Deflate, []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`))
	add("word/document.xml", zip.Deflate, []byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Jane Doe</w:t></w:r></w:p></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// odtFile builds a minimal OpenDocument text: its first entry must be an
// uncompressed "mimetype" without extra fields (ODF 1.2 part 3, 3.3).
func odtFile(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("application/vnd.oasis.opendocument.text"))
	w, err = zw.Create("content.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2"><office:body><office:text/></office:body></office:document-content>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipFile(t testing.TB, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("hello"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cfbFile builds a minimal compound file (MS-CFB, version 3, 512-byte
// sectors): a FAT in sector 0, empty filler sectors, and a directory in
// sector dirSector holding the root storage (with clsid) and one empty
// stream.
func cfbFile(clsid [16]byte, stream string, dirSector int) []byte {
	const (
		sec        = 512
		freeSect   = 0xFFFFFFFF
		endOfChain = 0xFFFFFFFE
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	le := binary.LittleEndian
	out := make([]byte, sec*(dirSector+2))
	h := out[:sec]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(h[24:], 0x003E) // minor version
	le.PutUint16(h[26:], 3)      // major version
	le.PutUint16(h[28:], 0xFFFE) // byte order
	le.PutUint16(h[30:], 9)      // sector shift
	le.PutUint16(h[32:], 6)      // mini sector shift
	le.PutUint32(h[44:], 1)      // FAT sectors
	le.PutUint32(h[48:], uint32(dirSector))
	le.PutUint32(h[56:], 4096) // mini stream cutoff
	le.PutUint32(h[60:], endOfChain)
	le.PutUint32(h[68:], endOfChain)
	for i := 76; i < sec; i += 4 {
		le.PutUint32(h[i:], freeSect)
	}
	le.PutUint32(h[76:], 0) // the FAT is sector 0

	fat := out[sec : 2*sec]
	for i := 0; i < sec; i += 4 {
		le.PutUint32(fat[i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4*dirSector:], endOfChain)

	dir := out[sec*(dirSector+1):]
	entry := func(i int, name string, typ byte, child uint32, clsid [16]byte) {
		e := dir[128*i : 128*(i+1)]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = typ
		e[67] = 1 // black
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		copy(e[80:], clsid[:])
		le.PutUint32(e[116:], endOfChain)
	}
	entry(0, "Root Entry", 5, 1, clsid)
	entry(1, stream, 2, noStream, [16]byte{})
	for i := 2; i < 4; i++ {
		e := dir[128*i:]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}
	return out
}

func imageFile(t testing.TB, format string) []byte {
	t.Helper()
	img := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.White, color.Black})
	img.SetColorIndex(1, 1, 1)
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "png":
		err = png.Encode(&buf, img)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// webpFile is a RIFF/WEBP container with a small VP8L chunk: the standard
// library has no WebP encoder, and detection reads only the container.
func webpFile() []byte {
	vp8l := []byte{0x2f, 0x00, 0x00, 0x00, 0x00, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00}
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+len(vp8l)))
	b.WriteString("WEBPVP8L")
	binary.Write(&b, binary.LittleEndian, uint32(len(vp8l)))
	b.Write(vp8l)
	return b.Bytes()
}

// executablePrefix is the start of the running test binary: a real ELF (or
// whatever this platform runs), as an attacker would upload as cv.pdf.
func executablePrefix(t testing.TB) []byte {
	t.Helper()
	name, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 256<<10))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
