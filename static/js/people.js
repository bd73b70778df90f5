// Fields that name a person (input[data-people-names], the URL of the project's names) complete from the names
// already used in the project, keyboard first: type, ArrowDown/ArrowUp to choose, Enter to take, Esc to close.
// What is typed stays as typed unless a name is taken. The names are fetched once per page and again after a save.
(() => {
  "use strict";

  const SHOWN = 8;
  const fetched = new Map();

  function namesFrom(url) {
    if (!fetched.has(url)) {
      const names = fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : { names: [] }))
        .then((data) => data.names)
        .catch(() => []);
      fetched.set(url, names);
    }
    return fetched.get(url);
  }

  /** The names that hold the typed text, those that start with it first. */
  function matches(names, typed) {
    const wanted = typed.trim().toLocaleLowerCase();
    if (!wanted) return names.slice(0, SHOWN);
    const starting = [];
    const holding = [];
    for (const name of names) {
      const lower = name.toLocaleLowerCase();
      if (lower === wanted) continue;
      if (lower.startsWith(wanted)) starting.push(name);
      else if (lower.includes(wanted)) holding.push(name);
    }
    return starting.concat(holding).slice(0, SHOWN);
  }

  function combobox(input) {
    const list = document.createElement("ul");
    list.id = `${input.id}-names`;
    list.className = "name-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Names used in this project");
    list.hidden = true;
    input.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    let active = -1;

    const options = () => Array.from(list.children);
    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function mark(index) {
      const all = options();
      active = (index + all.length) % all.length;
      all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }
    function take(option) {
      input.value = option.textContent;
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    async function show(everyName) {
      const names = await namesFrom(input.dataset.peopleNames);
      const found = matches(names, everyName ? "" : input.value);
      list.replaceChildren(
        ...found.map((name, i) => {
          const option = document.createElement("li");
          option.id = `${list.id}-${i}`;
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.textContent = name;
          return option;
        }),
      );
      active = -1;
      list.hidden = found.length === 0 || (!everyName && !input.value.trim());
      input.setAttribute("aria-expanded", String(!list.hidden));
    }

    input.addEventListener("input", () => show(false));
    input.addEventListener("blur", close);
    list.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      event.preventDefault(); // keeps the focus in the field
      if (option) take(option);
    });
    input.addEventListener("keydown", async (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) await show(!input.value.trim());
        if (!list.hidden) mark(active + (event.key === "ArrowDown" ? 1 : active < 0 ? 0 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault(); // takes the name; the next Enter saves the form
        event.stopPropagation();
        take(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.stopPropagation(); // closes the list, not the form
        close();
      }
    });
  }

  document.addEventListener("focusin", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.peopleNames || input.hasAttribute("role")) return;
    combobox(input);
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.requestConfig && event.detail.requestConfig.verb !== "get") fetched.clear();
  });
})();
