// mail.mjs - a small Internet-message reader for the tests: headers
// (unfolded, RFC 2047 encoded words decoded), MIME parts (multipart
// recursion, quoted-printable and base64 bodies, UTF-8 or Latin-1 text).

const CRLF_SPLIT = /\r?\n\r?\n/;

function decodeBytes(buf, charset) {
	const cs = (charset || 'utf-8').toLowerCase();
	try {
		return new TextDecoder(cs === 'us-ascii' ? 'utf-8' : cs,
		    { fatal: false }).decode(buf);
	} catch {
		return new TextDecoder('utf-8').decode(buf);
	}
}

// qpDecode turns quoted-printable text into bytes (soft breaks removed).
export function qpDecode(text) {
	const s = text.replace(/=\r?\n/g, '');
	const out = [];
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
			out.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			for (const b of Buffer.from(c, 'latin1'))
				out.push(b);
		}
	}
	return Buffer.from(out);
}

// decodeWords decodes RFC 2047 encoded words; whitespace between two
// adjacent encoded words is dropped, as the RFC says.
export function decodeWords(value) {
	const re = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
	let out = '';
	let last = 0;
	let prevWasWord = false;
	let m;
	while ((m = re.exec(value)) !== null) {
		const between = value.slice(last, m.index);
		if (!(prevWasWord && /^\s*$/.test(between)))
			out += between;
		const [, charset, enc, data] = m;
		let bytes;
		if (enc.toUpperCase() === 'B')
			bytes = Buffer.from(data, 'base64');
		else
			bytes = qpDecode(data.replace(/_/g, ' '));
		out += decodeBytes(bytes, charset.replace(/\*.*$/, ''));
		last = re.lastIndex;
		prevWasWord = true;
	}
	out += value.slice(last);
	return out;
}

// parseHeaders returns a Map of lower-case name -> array of raw values.
function parseHeaders(block) {
	const headers = new Map();
	const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
	for (const line of unfolded.split(/\r?\n/)) {
		const i = line.indexOf(':');
		if (i <= 0)
			continue;
		const name = line.slice(0, i).trim().toLowerCase();
		const value = line.slice(i + 1).trim();
		if (!headers.has(name))
			headers.set(name, []);
		headers.get(name).push(value);
	}
	return headers;
}

// param reads a parameter such as boundary="x" of a header value.
function param(value, name) {
	const re = new RegExp(`;\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i');
	const m = re.exec(value || '');
	if (!m)
		return null;
	return m[2] !== undefined ? m[2] : m[1];
}

function splitEntity(raw) {
	const m = CRLF_SPLIT.exec(raw);
	if (!m)
		return { head: raw, body: '' };
	return { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) };
}

// walk collects the leaf parts of a MIME entity given as a latin1 string
// (one char per byte, so binary-safe).
function walk(raw, parts) {
	const { head, body } = splitEntity(raw);
	const headers = parseHeaders(head);
	const ctype = (headers.get('content-type') || ['text/plain'])[0];
	const type = ctype.split(';')[0].trim().toLowerCase();
	if (type.startsWith('multipart/')) {
		const boundary = param(ctype, 'boundary');
		if (!boundary)
			throw new Error(`multipart without boundary: ${ctype}`);
		const chunks = body.split(new RegExp(
		    `\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
		// chunks[0] is the preamble; the part after the closing "--" is
		// the epilogue.
		for (const chunk of chunks.slice(1)) {
			if (chunk.startsWith('--'))
				break;
			walk(chunk.replace(/^[ \t]*\r?\n/, ''), parts);
		}
		return;
	}
	const cte = ((headers.get('content-transfer-encoding') || ['7bit'])[0])
	    .trim().toLowerCase();
	let bytes;
	if (cte === 'base64')
		bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
	else if (cte === 'quoted-printable')
		bytes = qpDecode(body);
	else
		bytes = Buffer.from(body, 'latin1');
	parts.push({ type, headers, cte,
	    content: decodeBytes(bytes, param(ctype, 'charset')) });
}

/*
 * parseMail(raw: Buffer|string) -> {headers, from, to, subject, text, html,
 * link, parts}. text/html are the decoded bodies of the first text/plain
 * and text/html parts (null when absent); link is the first http(s) URL
 * of the text part (else of the HTML part's href attributes).
 */
export function parseMail(raw) {
	const s = Buffer.isBuffer(raw) ? raw.toString('latin1') :
	    Buffer.from(raw, 'utf-8').toString('latin1');
	const { head } = splitEntity(s);
	const rawHeaders = parseHeaders(head);
	const headers = new Map();
	for (const [k, vs] of rawHeaders) {
		headers.set(k, vs.map((v) =>
		    decodeWords(decodeBytes(Buffer.from(v, 'latin1'), 'utf-8'))));
	}
	const parts = [];
	walk(s, parts);
	const textPart = parts.find((p) => p.type === 'text/plain');
	const htmlPart = parts.find((p) => p.type === 'text/html');
	const text = textPart ? textPart.content : null;
	const html = htmlPart ? htmlPart.content : null;
	let link = null;
	if (text) {
		const m = /https?:\/\/[^\s<>"]+/.exec(text);
		if (m)
			link = m[0];
	}
	if (!link && html) {
		const m = /href\s*=\s*"(https?:\/\/[^"]+)"/i.exec(html);
		if (m)
			link = m[1].replace(/&amp;/g, '&');
	}
	const one = (k) => (headers.get(k) || [null])[0];
	return {
		headers, parts, text, html, link,
		from: one('from'),
		to: one('to'),
		subject: one('subject'),
		contentType: one('content-type'),
	};
}
