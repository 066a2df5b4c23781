#!/bin/sh
# `npm run admin` on a production hub (docs/hub-server.md, "Production recipe"), run as root:
#   sh /opt/kyoten-navi/docs/kyoten-admin.sh list-users --hub hub-matsudo
# The command runs as the service's user with the service's environment file, so it reaches the
# same database (the recipe's DATABASE_URL logs in as the OS user kyoten) with the same keys; it
# may ask for a password on the terminal (create-user). Checked by
# test/integration/production-recipe.test.ts.
set -eu
app="${KYOTEN_APP_DIR:-/opt/kyoten-navi}"
env_file="${KYOTEN_ENV_FILE:-/etc/kyoten-navi/env}"
user="${KYOTEN_USER:-kyoten}"
if [ "$(id -u)" != 0 ]; then
  echo "kyoten-admin: run this as root (sudo sh $0 ...): it runs the command as $user." >&2
  exit 1
fi
if ! runuser -u "$user" -- test -r "$env_file"; then
  echo "kyoten-admin: $user cannot read $env_file: chgrp $user $env_file && chmod 0640 $env_file (the recipe's step 2)." >&2
  exit 1
fi
cd "$app"
# Node's --env-file reads the KEY=value lines systemd's EnvironmentFile= reads.
exec runuser -u "$user" -- node --env-file="$env_file" node_modules/tsx/dist/cli.mjs src/server/admin.ts "$@"
