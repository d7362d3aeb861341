"""The compiled modules: the page walk (crawler/extract/walk.pyx), built against lxml's
public C API, whose headers lxml's wheels carry, and the literal-word matcher
(crawler/extract/literals.pyx); everything else is declared in pyproject.toml."""

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [
            Extension(
                "crawler.extract.walk",
                ["crawler/extract/walk.pyx"],
                include_dirs=lxml.get_include(),
            ),
            Extension("crawler.extract.literals", ["crawler/extract/literals.pyx"]),
        ],
        compiler_directives={"language_level": 3},
    )
)
