from mkdocs.config import config_options as opt
from mkdocs.config.base import Config


class VerificationConfig(Config):
    enabled = opt.Type(bool, default=True)

    # Inputs, relative to mkdocs.yml
    labs_dir = opt.Type(str, default="tests/labs")
    snippets_dir = opt.Type(str, default="snippets")
    results = opt.Type(str, default="build/lab-results.json")

    # Output
    status_page = opt.Type(str, default="status.md")

    # Pages under this folder may show code (any <pre>, however written) only as snippet includes with a status
    snippets_only = opt.Type(str, default="posts/")

    # What labs made for the pages (build/lab-artifacts/<lab>/<file>), published under assets_dir in the site
    artifacts_dir = opt.Type(str, default="build/lab-artifacts")
    artifacts_url = opt.Type(str, default="assets/lab")
