#!/bin/bash
# gar-dev-keys.sh DIR - the keys and SAML metadata of the local GAR
# (bin/gar-idp) and of Orga's service provider, for development and tests.
# Never for production: the real GAR's metadata comes from the GAR.
#
# Key pairs (RSA 2048, self-signed, 10 years) are made once with openssl
# and kept: idp-key.pem, idp-cert.pem, sp-key.pem, sp-cert.pem (keys 0600).
# The metadata files are written each time, from the URLs of this run:
#   sp-metadata.xml   entity GAR_SP_ENTITY_ID (default
#                     $ORGA_PUBLIC_URL/api/gar/metadata), assertion consumer
#                     $ORGA_PUBLIC_URL/api/gar/acs (HTTP-POST)
#   idp-metadata.xml  entity $GAR_IDP_URL/metadata, single sign-on
#                     $GAR_IDP_URL/sso (HTTP-Redirect)
# ORGA_PUBLIC_URL defaults to http://$ORGA_HTTP_ADDR (127.0.0.1:8080),
# GAR_IDP_URL to http://$GAR_IDP_ADDR (127.0.0.1:8081).
set -euo pipefail

if [[ $# -ne 1 || "$1" == -* ]]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
DIR=$1
command -v openssl >/dev/null || { echo "gar-dev-keys: openssl manque" >&2; exit 1; }

PUBLIC=${ORGA_PUBLIC_URL:-http://${ORGA_HTTP_ADDR:-127.0.0.1:8080}}
PUBLIC=${PUBLIC%/}
IDP=${GAR_IDP_URL:-http://${GAR_IDP_ADDR:-127.0.0.1:8081}}
IDP=${IDP%/}
SP_ENTITY=${GAR_SP_ENTITY_ID:-$PUBLIC/api/gar/metadata}
IDP_ENTITY=$IDP/metadata

mkdir -p "$DIR"
chmod 0700 "$DIR"

# pair NAME CN: NAME-key.pem and NAME-cert.pem, made once.
pair() {
	local name=$1 cn=$2
	[[ -s "$DIR/$name-key.pem" && -s "$DIR/$name-cert.pem" ]] && return 0
	(umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -sha256 \
	    -days 3650 -subj "/CN=$cn" -keyout "$DIR/$name-key.pem" \
	    -out "$DIR/$name-cert.pem" 2>/dev/null)
	chmod 0644 "$DIR/$name-cert.pem"
}

# cert_b64 NAME: the certificate's base64 body, without the PEM lines.
cert_b64() {
	sed -e '/-----BEGIN/d' -e '/-----END/d' "$DIR/$1-cert.pem" | tr -d '\n'
}

# xml_attr TEXT: TEXT escaped for an XML attribute.
xml_attr() {
	local s=$1
	s=${s//&/&amp;}
	s=${s//</&lt;}
	s=${s//>/&gt;}
	s=${s//\"/&quot;}
	printf '%s' "$s"
}

pair idp "GAR de demonstration"
pair sp "Orga"

# write FILE: stdin to FILE through a temporary file (readers never see
# half a file).
write() {
	cat >"$1.tmp"
	mv -f "$1.tmp" "$1"
}

write "$DIR/sp-metadata.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    entityID="$(xml_attr "$SP_ENTITY")">
  <md:SPSSODescriptor AuthnRequestsSigned="true" WantAssertionsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>$(cert_b64 sp)</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:AssertionConsumerService index="0" isDefault="true"
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
        Location="$(xml_attr "$PUBLIC/api/gar/acs")"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
EOF

write "$DIR/idp-metadata.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
    entityID="$(xml_attr "$IDP_ENTITY")">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data><ds:X509Certificate>$(cert_b64 idp)</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:SingleSignOnService
        Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="$(xml_attr "$IDP/sso")"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
EOF
