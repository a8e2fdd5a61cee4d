#!/usr/bin/python3
"""http_account.py - for `make bench`: give an account the ADMIN role of
the bench's schools through the JSON API, the way a person would: sign up
(or log in), accept the CGU, then accept every invitation mailed to the
address (the mailer writes .eml files into --mail-dir when SMTP_URL is
unset). Waits for --expect invitation mails first. Prints nothing on
success; exits 1 with a message otherwise.

  http_account.py --url URL --mail-dir DIR --email E --password P --expect N
"""
import argparse
import email
import email.policy
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request

LINK = re.compile(r'https?://[^\s"<>]*invitationId=(\d+)&(?:amp;)?code=([^\s"<>&]+)')


def die(msg):
    print(f'http_account: {msg}', file=sys.stderr)
    sys.exit(1)


class Client:
    def __init__(self, url):
        self.url = url.rstrip('/')
        self.csrf = None
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar))

    def call(self, method, path, body=None):
        data = None
        headers = {}
        if body is not None:
            data = json.dumps(body).encode()
            headers['Content-Type'] = 'application/json'
        if self.csrf and method != 'GET':
            headers['X-CSRF-Token'] = self.csrf
        req = urllib.request.Request(self.url + path, data=data,
                                     headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b'{}')
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw or b'{}')
            except ValueError:
                return e.code, {'raw': raw.decode(errors='replace')}


def invitation_links(mail_dir, addr):
    """(invitationId, code) of every mail to addr, oldest first."""
    found = []
    try:
        names = sorted(n for n in os.listdir(mail_dir) if n.endswith('.eml'))
    except FileNotFoundError:
        return found
    for n in names:
        with open(os.path.join(mail_dir, n), 'rb') as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        if addr.lower() not in str(msg.get('To', '')).lower():
            continue
        for part in msg.walk():
            if part.get_content_type() != 'text/plain':
                continue
            m = LINK.search(part.get_content())
            if m:
                found.append((m.group(1), m.group(2)))
                break
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--url', required=True)
    ap.add_argument('--mail-dir', required=True)
    ap.add_argument('--email', required=True)
    ap.add_argument('--password', required=True)
    ap.add_argument('--expect', type=int, default=1)
    a = ap.parse_args()

    deadline = time.monotonic() + 60
    links = invitation_links(a.mail_dir, a.email)
    while len(links) < a.expect:
        if time.monotonic() > deadline:
            die(f'{len(links)} invitation mail(s) in {a.mail_dir}, '
                f'{a.expect} expected')
        time.sleep(0.2)
        links = invitation_links(a.mail_dir, a.email)

    c = Client(a.url)
    st, js = c.call('POST', '/api/users', {
        'firstName': 'Banc', 'lastName': 'Essai', 'email': a.email,
        'password': a.password})
    if st == 422:
        st, js = c.call('POST', '/api/session',
                        {'email': a.email, 'password': a.password})
    if st not in (200, 201):
        die(f'sign up / log in: {st} {js}')
    c.csrf = js.get('csrfToken')
    st, me = c.call('GET', '/api/me')
    if st != 200:
        die(f'GET /api/me: {st} {me}')
    if me.get('mustAcceptTerms'):
        st, terms = c.call('GET', '/api/terms')
        if st != 200:
            die(f'GET /api/terms: {st} {terms}')
        st, js = c.call('POST', '/api/terms/accept',
                        {'version': terms['version']})
        if st != 200:
            die(f'POST /api/terms/accept: {st} {js}')
    for inv, code in links:
        st, js = c.call('POST', f'/api/invitations/{inv}/accept',
                        {'code': code})
        if st != 200 and not (st == 409 and
                              js.get('error', {}).get('code') ==
                              'INVITATION_ACCEPTED'):
            die(f'accept invitation {inv}: {st} {js}')


if __name__ == '__main__':
    main()
