package mailer_test

import (
	"io"
	"mime"
	"mime/quotedprintable"
)

type mimeDecoder = mime.WordDecoder

func quotedPrintable(r io.Reader) io.Reader { return quotedprintable.NewReader(r) }
