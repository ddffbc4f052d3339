# Sourced by .ci/run and ./chat-local: make JAVA_HOME point at a JDK 21+ when the default is older.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
kchat_pick_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ] 2>/dev/null; then return 0; fi
  if command -v java >/dev/null && [ "$(java_major "$(command -v java)")" -ge 21 ] 2>/dev/null; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; export JAVA_HOME; return 0
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"; return 0
    fi
  done
  echo "kchat needs a JDK 21 or newer; none found. Install one and set JAVA_HOME." >&2
  return 1
}
kchat_pick_jdk
export PATH="$JAVA_HOME/bin:$PATH"
