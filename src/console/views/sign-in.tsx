import type { View } from "../context";
import { FieldError, Page } from "../layout";

/** The sign-in form: the ADMIN_TOKEN in a password field, POSTed (never in a URL), exchanged for the session cookie. */
export function SignInPage({ view, error, notice }: { view: View; error?: string; notice?: string }) {
  const { t } = view;
  return (
    <Page view={view} title={t.signInTitle} section="none" notice={notice}>
      <form method="post" action="/console/sign-in" class="card narrow">
        <p id="token-help">{t.signInHelp}</p>
        <label for="token">{t.adminToken}</label>
        <input
          id="token"
          name="token"
          type="password"
          required
          autocomplete="current-password"
          spellcheck={false}
          aria-describedby={error ? "token-help token-error" : "token-help"}
          aria-invalid={error ? "true" : undefined}
        />
        <FieldError id="token-error" messages={error ? [error] : undefined} />
        <button type="submit">{t.signIn}</button>
      </form>
    </Page>
  );
}
