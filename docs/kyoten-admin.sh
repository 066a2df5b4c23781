#!/bin/sh
# `npm run admin` on a production hub (docs/hub-server.md, "Production recipe"), run as root:
#   sh /opt/kyoten-navi/docs/kyoten-admin.sh list-users --hub hub-matsudo
# The command runs as the service's user with the service's environment file and nothing of the
# calling shell's environment (a DATABASE_URL exported there would otherwise win over the file's),
# so it reaches the same database (the recipe's DATABASE_URL logs in as the OS user kyoten) with
# the same keys; it may ask for a password on the terminal (create-user). Checked by
# test/integration/production-recipe.test.ts.
set -eu
app="${KYOTEN_APP_DIR:-/opt/kyoten-navi}"
env_file="${KYOTEN_ENV_FILE:-/etc/kyoten-navi/env}"
user="${KYOTEN_USER:-kyoten}"
if [ "$(id -u)" != 0 ]; then
  echo "kyoten-admin: run this as root (sudo sh $0 ...): it runs the command as $user." >&2
  exit 1
fi
if ! id -u "$user" >/dev/null 2>&1; then
  echo "kyoten-admin: there is no user $user: make it first (the recipe's step 1: useradd --system --home $app $user)." >&2
  exit 1
fi
if ! runuser -u "$user" -- test -r "$env_file"; then
  echo "kyoten-admin: $user cannot read $env_file: chgrp $user $env_file && chmod 0640 $env_file (the recipe's step 2)." >&2
  exit 1
fi
# A file named on the command line (backup --file, restore --file, verify-evidence <FILE>) is read
# from the folder the admin is in, not the app's: admin.ts resolves it against KYOTEN_CALLER_DIR.
caller_dir="$PWD"
cd "$app"
# Who ran it, for the admin's audit (done_by of admin_audit, account_audit): every command runs as $user, so the
# person is sudo's user, else the terminal's login name.
operator="${SUDO_USER:-$(logname 2>/dev/null || id -un)}"
# Node's --env-file reads the KEY=value lines systemd's EnvironmentFile= reads (a value holding # or
# spaces goes in double quotes for both). The environment is emptied first: a variable already set
# would win over the file's.
exec runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$app" LANG=C.UTF-8 TERM="${TERM:-dumb}" KYOTEN_OPERATOR="$operator" KYOTEN_CALLER_DIR="$caller_dir" \
  node --env-file="$env_file" node_modules/tsx/dist/cli.mjs src/server/admin.ts "$@"
