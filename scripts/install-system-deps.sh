#!/usr/bin/env bash
# Install the Debian packages the tests need (idempotent; a package already present is skipped):
#   default-jre-headless  Java for owlready2's HermiT reasoner
#   chromium              headless browser for the web-page tests
#   raptor2-utils         rapper, an independent RDF parser for the export round-trip tests
#   rasqal-utils          roqet, an independent SPARQL client for the endpoint tests
#   virtuoso-opensource   Virtuoso 7 (virtuoso-t, isql-vt): the remote-backend integration test
#                         and the benchmark start a private instance on 127.0.0.1
#   nodejs, npm           node runs jsonld.js on the JSON-LD files (scripts/install-js-deps.sh
#                         installs jsonld.js itself from tests/js/package-lock.json)
#   apache2-bin           Apache httpd 2.4 with mod_rewrite, without the Debian service: the w3id
#                         redirect test starts a private instance on 127.0.0.1 with w3id/.htaccess
#   nginx                 the reverse proxy of the TRUSTED_PROXIES test (tests/server/test_nginx_proxy.py
#                         starts a private instance on 127.0.0.1)
#   wrk                   the HTTP load generator of the benchmarks (bench/http_load.py)
set -euo pipefail

packages=()
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v rapper >/dev/null 2>&1 || packages+=(raptor2-utils)
command -v roqet >/dev/null 2>&1 || packages+=(rasqal-utils)
{ command -v virtuoso-t && command -v isql-vt; } >/dev/null 2>&1 || packages+=(virtuoso-opensource)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
[ -x /usr/sbin/apache2 ] || command -v apache2 >/dev/null 2>&1 || packages+=(apache2-bin)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || packages+=(nginx)
command -v wrk >/dev/null 2>&1 || packages+=(wrk)

if [ ${#packages[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "system packages missing: ${packages[*]}; run this script as root (or install them with apt-get)" >&2
  exit 1
fi
echo "installing system packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}"
