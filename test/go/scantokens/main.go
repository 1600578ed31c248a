// Command scantokens prints go/scanner's token stream of Go files in the canonical form that
// test/go/scanner-differential.test.ts compares gohot's scanner (src/go/scanner.ts) with.
//
//	scantokens DIR...    one line per .go file under the directories:
//	                     path TAB "OK" TAB sha1 TAB tokens, or path TAB "ERR" TAB first error
//	scantokens -dump F   the canonical tokens of file F, one JSON array [line, kind, lit] a line
//
// Canonical form: every token except EOF and ordinary comments, as line NUL kind NUL lit NUL,
// where line is the unadjusted line (//line directives ignored), kind is the token's name
// (IDENT, INT, FLOAT, IMAG, CHAR, STRING, the keyword or operator itself, ";" or DIRECTIVE),
// and lit is the literal for literals and directives, "\n" or ";" for semicolons, else "".
//
// A comment that constraint.IsGoBuild or constraint.IsPlusBuild accepts but isDirective does
// not is reported as path TAB "MISS" TAB comment: the scanner's rule must cover go/build's.
package main

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/build/constraint"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	if len(os.Args) == 3 && os.Args[1] == "-dump" {
		src, err := os.ReadFile(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		r := scan(src, func(line int, kind, lit string) {
			b, _ := json.Marshal([]any{line, kind, lit})
			out.Write(append(b, '\n'))
		})
		if r.err != "" {
			fmt.Fprintf(out, "ERR\t%s\n", r.err)
		}
		return
	}
	var canonical []byte
	for _, dir := range os.Args[1:] {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() || !strings.HasSuffix(path, ".go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			canonical = canonical[:0]
			r := scan(src, func(line int, kind, lit string) {
				canonical = strconv.AppendInt(canonical, int64(line), 10)
				canonical = append(canonical, 0)
				canonical = append(canonical, kind...)
				canonical = append(canonical, 0)
				canonical = append(canonical, lit...)
				canonical = append(canonical, 0)
			})
			for _, m := range r.misses {
				fmt.Fprintf(out, "%s\tMISS\t%q\n", path, m)
			}
			if r.err != "" {
				fmt.Fprintf(out, "%s\tERR\t%s\n", path, strings.ReplaceAll(r.err, "\n", " "))
				return nil
			}
			sum := sha1.Sum(canonical)
			fmt.Fprintf(out, "%s\tOK\t%s\t%d\n", path, hex.EncodeToString(sum[:]), r.tokens)
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

type result struct {
	tokens int
	err    string   // the first scan error, as line:column: message
	misses []string // build constraint comments isDirective does not cover
}

// scan calls emit for every token of the canonical form of src.
func scan(src []byte, emit func(line int, kind, lit string)) (r result) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, func(pos token.Position, msg string) {
		if r.err == "" {
			r.err = fmt.Sprintf("%d:%d: %s", pos.Line, pos.Column, msg)
		}
	}, scanner.ScanComments)
	// The unadjusted line, counted here: offsets only grow (the inserted semicolon after a
	// multi-line comment is the one step back, to the comment's first newline).
	line, counted := 1, 0
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			return r
		}
		offset := file.Offset(pos)
		if offset < counted {
			line, counted = 1, 0
		}
		for ; counted < offset; counted++ {
			if src[counted] == '\n' {
				line++
			}
		}
		switch {
		case t == token.COMMENT:
			if !isDirective(lit, offset == 0 || src[offset-1] == '\n') {
				if constraint.IsGoBuild(lit) || constraint.IsPlusBuild(lit) {
					r.misses = append(r.misses, lit)
				}
				continue
			}
			emit(line, "DIRECTIVE", lit)
		case t == token.SEMICOLON, t == token.ILLEGAL, t.IsLiteral():
			emit(line, t.String(), lit)
		default:
			emit(line, t.String(), "")
		}
		r.tokens++
	}
}

// isDirective is src/go/directive.ts's isDirective, written again in Go.
func isDirective(text string, atLineStart bool) bool {
	switch {
	case strings.HasPrefix(text, "//go:"), strings.HasPrefix(text, "/*line "),
		strings.HasPrefix(text, "//export "):
		return true
	case strings.HasPrefix(text, "//line "):
		return atLineStart
	case !strings.HasPrefix(text, "//"):
		return false
	}
	return strings.HasPrefix(strings.TrimLeftFunc(text[2:], unicode.IsSpace), "+build")
}
