// Command scantokens prints go/scanner's token stream of Go files in the canonical form that
// test/go/scanner-differential.test.ts compares gohot's scanner (src/go/scanner.ts) with.
//
//	scantokens DIR...    one line per .go file under the directories:
//	                     path TAB "OK" TAB sha1 TAB tokens, or path TAB "ERR" TAB first error
//	scantokens -dump F   the canonical tokens of file F, one JSON array [line, kind, lit] a line
//	scantokens -recomment OUT F...
//	                     writes OUT/<i>.go for the i-th file F (from 0), with every ordinary
//	                     comment replaced by another one that spans as many lines
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
	if len(os.Args) >= 3 && os.Args[1] == "-recomment" {
		for i, path := range os.Args[3:] {
			src, err := os.ReadFile(path)
			if err == nil {
				err = os.WriteFile(filepath.Join(os.Args[2], fmt.Sprintf("%d.go", i)), recomment(src), 0o644)
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
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

// recomment replaces each ordinary comment of src: a line comment by "// x", a general one
// without a newline by "/*y*/", one with n newlines by "/*" + n newlines + "*/".
func recomment(src []byte) []byte {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	var out []byte
	last := 0
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			return append(out, src[last:]...)
		}
		offset := file.Offset(pos)
		if t != token.COMMENT || isDirective(lit, offset == 0 || src[offset-1] == '\n') {
			continue
		}
		end := offset + len("//")
		if lit[1] == '/' {
			for end < len(src) && src[end] != '\n' {
				end++
			}
		} else if i := strings.Index(string(src[end:]), "*/"); i >= 0 {
			end += i + len("*/")
		} else {
			end = len(src)
		}
		out = append(out, src[last:offset]...)
		switch n := strings.Count(string(src[offset:end]), "\n"); {
		case lit[1] == '/':
			out = append(out, "// x"...)
		case n == 0:
			out = append(out, "/*y*/"...)
		default:
			out = append(out, "/*"+strings.Repeat("\n", n)+"*/"...)
		}
		last = end
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
