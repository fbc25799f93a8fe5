# po.awk - the MSG and WORD rows of svcledger's .def catalogs as GNU
# gettext entries (run by tools/po.sh, which documents it).
#
# Each input file is read as C: comments and preprocessor lines are
# skipped, adjacent string literals are joined, and MSG(id, str) or
# WORD(id, str) gives one entry, kept in the literals' own escapes (C's
# and PO's agree). With -v mode=pot the msgstr is left empty. An id met
# again with the same translation adds a reference to the first entry;
# with another one it becomes an entry of its own under msgctxt
# "library" (the deciders' words beside the tool's).

BEGIN {
	n = 0
}

# Read each file whole: awk records are lines, the rows span lines.
FNR == 1 && NR > 1 { scan(prev_file, text) }
FNR == 1 { text = ""; prev_file = FILENAME }
{ text = text $0 "\n" }
END {
	if (failed)
		exit 1
	if (NR > 0)
		scan(prev_file, text)
	emit()
}

# Tokenize one file's text and collect its rows.
function scan(file, s,    i, c, len, line, bol, tok, str, lit, kw, kwline,
	      depth, nargs, arg, args1)
{
	len = length(s)
	line = 1
	bol = 1
	kw = ""
	for (i = 1; i <= len; i++) {
		c = substr(s, i, 1)
		if (c == "\n") {
			line++
			bol = 1
			continue
		}
		if (c == " " || c == "\t")
			continue
		if (bol && c == "#") { # a preprocessor line
			while (i <= len && substr(s, i, 1) != "\n")
				i++
			i--
			continue
		}
		bol = 0
		if (substr(s, i, 2) == "/*") {
			i += 2
			while (i <= len && substr(s, i, 2) != "*/") {
				if (substr(s, i, 1) == "\n")
					line++
				i++
			}
			i++
			continue
		}
		if (substr(s, i, 2) == "//") {
			while (i <= len && substr(s, i, 1) != "\n")
				i++
			i--
			continue
		}
		if (c == "\"") {
			lit = ""
			for (i++; i <= len; i++) {
				c = substr(s, i, 1)
				if (c == "\\") {
					lit = lit substr(s, i, 2)
					i++
				} else if (c == "\"") {
					break
				} else {
					lit = lit c
				}
			}
			if (kw != "" && depth == 1)
				arg = arg lit
			continue
		}
		if (c ~ /[A-Za-z_]/) {
			tok = c
			while (i < len && substr(s, i + 1, 1) ~ /[A-Za-z_0-9]/)
				tok = tok substr(s, ++i, 1)
			if (kw == "" && (tok == "MSG" || tok == "WORD")) {
				kw = tok
				kwline = line
				depth = 0
				nargs = 0
				arg = ""
			}
			continue
		}
		if (kw == "")
			continue
		if (c == "(") {
			depth++
		} else if (c == "," && depth == 1) {
			args1 = arg
			nargs++
			arg = ""
		} else if (c == ")") {
			depth--
			if (depth == 0) {
				if (nargs != 1)
					fail(file, kwline, kw " row without two strings")
				add(file, kwline, kw, args1, arg)
				kw = ""
			}
		}
	}
}

function fail(file, line, what)
{
	printf "%s:%d: %s\n", file, line, what > "/dev/stderr"
	failed = 1
	exit 1
}

function add(file, line, kw, id, str,    k, ctx)
{
	if (id == "")
		fail(file, line, "empty English text")
	ctx = ""
	if (id in first) {
		k = first[id]
		if (msgstr[k] == str) {
			refs[k] = refs[k] " " file ":" line
			return
		}
		ctx = "library"
		if ((ctx SUBSEP id) in first)
			fail(file, line, "\"" id "\" three times")
	}
	n++
	first[(ctx == "" ? "" : ctx SUBSEP) id] = n
	msgid[n] = id
	msgstr[n] = file ~ /^model\// ? c_positional(id, str) : str
	rewritten[n] = msgstr[n] != str
	msgctxt[n] = ctx
	kind[n] = kw
	refs[n] = file ":" line
}

# The library's templates (model/msgcat.h) take one parameter a
# conversion, "%.*s" included, and a translation that reorders them says
# "%2$.*s" for the second. printf counts the precision as an argument of
# its own, so for gettext's C format that is "%3$.*2$s": rewrite the
# positional conversions of str by where id's conversions start.
function c_positional(id, str,    rest, p, k, c, w, pr, start, starw, starp,
				  out, head, m, spec, flags, width, prec, tail)
{
	if (index(id, "*") == 0 || str !~ /%[0-9]+\$/)
		return str
	k = 0
	c = 1
	rest = id
	while ((p = index(rest, "%")) > 0) {
		rest = substr(rest, p + 1)
		if (substr(rest, 1, 1) == "%") {
			rest = substr(rest, 2)
			continue
		}
		if (!match(rest, /^[-+ #0]*([0-9]+|\*)?(\.([0-9]+|\*)?)?(hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsp]/))
			return str
		spec = substr(rest, 1, RLENGTH)
		rest = substr(rest, RLENGTH + 1)
		w = spec ~ /^[-+ #0]*\*/
		pr = spec ~ /\.\*/
		k++
		start[k] = c
		starw[k] = w
		starp[k] = pr
		c += 1 + w + pr
	}
	out = ""
	rest = str
	while (match(rest, /%[0-9]+\$[-+ #0]*([0-9]+|\*)?(\.([0-9]+|\*)?)?(hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsp]/)) {
		head = substr(rest, 1, RSTART - 1)
		spec = substr(rest, RSTART + 1, RLENGTH - 1)
		rest = substr(rest, RSTART + RLENGTH)
		m = index(spec, "$")
		k = substr(spec, 1, m - 1) + 0
		spec = substr(spec, m + 1)
		if (!(k in start)) # leave it to msgfmt to name
			return str
		match(spec, /^[-+ #0]*/)
		flags = substr(spec, 1, RLENGTH)
		spec = substr(spec, RLENGTH + 1)
		width = ""
		if (substr(spec, 1, 1) == "*") {
			width = "*" start[k] "$"
			spec = substr(spec, 2)
		} else if (match(spec, /^[0-9]+/)) {
			width = substr(spec, 1, RLENGTH)
			spec = substr(spec, RLENGTH + 1)
		}
		prec = ""
		if (substr(spec, 1, 2) == ".*") {
			prec = ".*" (start[k] + starw[k]) "$"
			spec = substr(spec, 3)
		}
		tail = spec
		out = out head "%" (start[k] + starw[k] + starp[k]) "$" flags \
			width prec tail
	}
	return out rest
}

# "c-format" when every % of id starts a printf conversion (or is %%) and
# there is one; "no-c-format" when a % is only text ("100%)"), so that
# msgfmt checks the conversions of the formats and leaves prose alone.
function format_flag(id,    rest, p, conv, any)
{
	any = 0
	rest = id
	while ((p = index(rest, "%")) > 0) {
		rest = substr(rest, p + 1)
		if (substr(rest, 1, 1) == "%") {
			rest = substr(rest, 2)
			any = 1
			continue
		}
		if (!match(rest, /^([0-9]+\$)?[-+ #0]*([0-9]+|\*)?(\.([0-9]+|\*)?)?(hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsp]/))
			return "no-c-format"
		rest = substr(rest, RLENGTH + 1)
		any = 1
	}
	return any ? "c-format" : ""
}

# One PO string: on one line, or split after each \n when there is more
# than one line.
function postr(key, s,    out, p)
{
	p = index(s, "\\n")
	if (p == 0 || p + 1 == length(s)) {
		print key " \"" s "\""
		return
	}
	print key " \"\""
	while ((p = index(s, "\\n")) > 0 && p + 1 < length(s)) {
		print "\"" substr(s, 1, p + 1) "\""
		s = substr(s, p + 2)
	}
	print "\"" s "\""
}

function emit(    k, f)
{
	if (failed)
		return
	print "# svcledger's messages in Chinese (simplified). Generated by"
	print "# tools/po.sh from tools/msg_zh_CN.def and model/msg_zh_CN*.def:"
	print "# edit those, not this file."
	print "#"
	if (mode == "pot")
		print "#, fuzzy"
	print "msgid \"\""
	print "msgstr \"\""
	print "\"Project-Id-Version: svcledger " version "\\n\""
	print "\"Report-Msgid-Bugs-To: \\n\""
	print "\"POT-Creation-Date: " date "\\n\""
	if (mode == "pot") {
		print "\"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n\""
		print "\"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n\""
		print "\"Language-Team: LANGUAGE <LL@li.org>\\n\""
		print "\"Language: \\n\""
	} else {
		print "\"PO-Revision-Date: " date "\\n\""
		print "\"Last-Translator: svcledger <svcledger@localhost>\\n\""
		print "\"Language-Team: Chinese (simplified) <zh_CN@li.org>\\n\""
		print "\"Language: zh_CN\\n\""
	}
	print "\"MIME-Version: 1.0\\n\""
	print "\"Content-Type: text/plain; charset=UTF-8\\n\""
	print "\"Content-Transfer-Encoding: 8bit\\n\""
	if (mode != "pot")
		print "\"Plural-Forms: nplurals=1; plural=0;\\n\""
	for (k = 1; k <= n; k++) {
		print ""
		if (kind[k] == "WORD")
			print "#. a word shown inside a refusal"
		if (rewritten[k])
			print "#. msgstr: the catalog's %N$.*s written as printf's"
		print "#: " refs[k]
		f = format_flag(msgid[k])
		if (f != "")
			print "#, " f
		if (msgctxt[k] != "")
			print "msgctxt \"" msgctxt[k] "\""
		postr("msgid", msgid[k])
		postr("msgstr", mode == "pot" ? "" : msgstr[k])
	}
}
