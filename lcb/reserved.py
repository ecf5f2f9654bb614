# SPDX-License-Identifier: MIT
"""Words an identifier in the binding must not be spelled as, compared case-insensitively.

LCB keywords are case-sensitive and reserved, but the binding's public names and the helper
stack live in LiveCode Script, where every word below is a keyword, property, chunk, constant or
built-in function matched without regard to case (so a variable called tExt is the word
"text"). One list serves both files. Standard library only.
"""

_LCB = """
library module widget end use metadata public private foreign handler binds to unsafe constant
variable type record property event returns nothing optional any as in out inout is if then
else repeat forever times while until with from up down by for each next exit throw return put
into after before set get call bytecode register the of not and or true false
boolean integer real number string data list array pointer
cint cuint cbool cdouble cfloat cchar
zstringutf8 zstringnative zstringutf16 uintsize intsize
element elements byte bytes char chars code codeunit codeunits codepoint codepoints
first last index offset contains begins ends empty key keys push pop front back splice sort
split combine delete replace encoded decoded parsed formatted trunc round abs min max
log ln exp sqrt sin cos tan mod div rem bitwise shifted left right defined undefined
dispatch send post quit execute my caller result it lower upper space newline tab quote
stream read write file url seconds milliseconds date time universal local random some
"""

_XTALK = """
text it the end repeat return result put into get set data list array string number byte bytes
char chars character characters line lines item items word words token tokens paragraph
paragraphs sentence sentences segment segments trueword truewords codepoint codepoints
codeunit codeunits empty true false
on function command getprop setprop private global local constant param params paramcount
me target value do send call dispatch answer ask create delete file files folder folders
directory directories url binary length id name short long abbreviated abbrev
field fld button btn card cd stack background bg group grp image img graphic grc player
scrollbar control object window menu mouse key keys selection clipboard message msg
wait lock unlock screen hide show open close start stop using among within there exists
contains begins ends is not and or div mod
tab space cr lf crlf return quote comma colon backslash slash null eof formfeed linefeed
zero one two three four five six seven eight nine ten pi infinity
format sum average avg max min abs round trunc sqrt random offset replace
date time seconds ticks milliseconds millisecs
top bottom left right width height rect rectangle location loc
visible style color colour font size format version
merge filter sort split combine matchtext matchchunk replacetext
element elements of in to from by with without for each next exit while until times forever
if then else switch case default break try catch finally throw pass
first last middle mid any prev previous this
integer natural point boolean rect
"""

RESERVED = frozenset(w for w in (_LCB + " " + _XTALK).split())


def is_reserved(identifier):
    return identifier.lower() in RESERVED
