module gohot.test/scantokens

go 1.22
