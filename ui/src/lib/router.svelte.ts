// The current view of the app (a small state-based view switch instead of a router library).

export type View =
  | { name: "runs" }
  | { name: "templates" }
  | { name: "template"; id: string }
  | { name: "new-run"; templateId: string | null }
  | { name: "run"; id: string }
  | { name: "settings" }
  | { name: "environments" }
  /** `prefill`: a credential name to start the add form with (from a probe suggestion's inline-secret warning). */
  | { name: "credentials"; prefill?: string | null };

/** The nav section a view belongs to. */
export function section(view: View): "runs" | "templates" | "settings" | "environments" | "credentials" {
  switch (view.name) {
    case "templates":
    case "template":
    case "new-run":
      return "templates";
    case "settings":
    case "environments":
    case "credentials":
      return view.name;
    default:
      return "runs";
  }
}

class Router {
  view = $state<View>({ name: "runs" });

  go(view: View) {
    this.view = view;
  }
}

export const router = new Router();
