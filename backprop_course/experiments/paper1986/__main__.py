"""``python -m backprop_course.experiments.paper1986``: see ``cache.main``."""

from .cache import main

if __name__ == "__main__":  # (pkgutil.walk_packages imports this module too)
    main()
