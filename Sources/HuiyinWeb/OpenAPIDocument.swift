// The OpenAPI 3.1 description of every route. A test checks that its paths and methods are
// exactly the router's, so it cannot drift.
enum OpenAPIDocument {
    static let text = #"""
{
 "openapi": "3.1.0",
 "info": {
  "title": "Huiyin intake API",
  "version": "1.0.0",
  "description": "Intake for the 12338 hotline and petition offices: calls, letters, visits and online petitions. Staff routes need `Authorization: Bearer <token>`. Every POST accepts an `Idempotency-Key` header: a retry with the same key returns the first answer and writes nothing. Errors are `{\"error\":{\"code\",\"message\",\"fields\":[{\"field\",\"message\"}]}}`."
 },
 "servers": [
  {
   "url": "/"
  }
 ],
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer"
   },
   "session": {
    "type": "apiKey",
    "in": "cookie",
    "name": "huiyin_session",
    "description": "Console session (HttpOnly, SameSite=Strict). Requests that change data must also send the session's CSRF token in X-CSRF-Token."
   }
  },
  "parameters": {
   "IdempotencyKey": {
    "name": "Idempotency-Key",
    "in": "header",
    "required": false,
    "schema": {
     "type": "string",
     "minLength": 1,
     "maxLength": 255
    },
    "description": "Makes a retried POST safe: the first answer is returned again and nothing is written twice."
   }
  },
  "schemas": {
   "Error": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "object",
      "required": [
       "code",
       "message"
      ],
      "properties": {
       "code": {
        "type": "string",
        "examples": [
         "validation_failed"
        ]
       },
       "message": {
        "type": "string"
       },
       "request_id": {
        "type": "string",
        "description": "Only on 5xx answers."
       },
       "fields": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "field",
          "message"
         ],
         "properties": {
          "field": {
           "type": "string"
          },
          "message": {
           "type": "string"
          }
         }
        }
       }
      }
     }
    }
   },
   "Category": {
    "type": "string",
    "enum": [
     "marriage_family",
     "domestic_violence",
     "sexual_assault",
     "minors_rights",
     "labor_social_security",
     "property_rights",
     "personal_rights",
     "other"
    ],
    "description": "婚姻家庭纠纷, 家庭暴力, 性侵害, 未成年人权益, 劳动和社会保障权益, 财产权益, 人身权利, 其他"
   },
   "PetitionerInput": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "name": {
      "type": [
       "string",
       "null"
      ],
      "maxLength": 50
     },
     "phone": {
      "type": [
       "string",
       "null"
      ],
      "description": "Mainland mobile or landline; spaces, dashes and +86 are ignored."
     },
     "id_number": {
      "type": [
       "string",
       "null"
      ],
      "description": "18-character resident ID number (checked)."
     },
     "address": {
      "type": [
       "string",
       "null"
      ],
      "maxLength": 200
     },
     "is_minor": {
      "type": [
       "boolean",
       "null"
      ]
     }
    }
   },
   "VictimInput": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "relation"
    ],
    "description": "The person the matter is about (当事人), when not the petitioner alone: sealing, mandatory reports and the danger checklist follow her. Any of age, birth_date or is_minor saying under 18 makes her a minor. Not allowed with case_id.",
    "properties": {
     "relation": {
      "type": "string",
      "enum": [
       "self",
       "child",
       "spouse",
       "parent",
       "relative",
       "other"
      ],
      "description": "Relation to the petitioner: 本人, 子女, 配偶或伴侣, 父母, 其他亲属, 其他人."
     },
     "age": {
      "type": [
       "integer",
       "null"
      ],
      "minimum": 0,
      "maximum": 120
     },
     "birth_date": {
      "type": [
       "string",
       "null"
      ],
      "format": "date"
     },
     "is_minor": {
      "type": [
       "boolean",
       "null"
      ]
     }
    }
   },
   "Victim": {
    "type": "object",
    "properties": {
     "relation": {
      "type": "string"
     },
     "relation_label": {
      "type": "string"
     },
     "birth_date": {
      "type": [
       "string",
       "null"
      ],
      "format": "date"
     },
     "age": {
      "type": [
       "integer",
       "null"
      ]
     },
     "is_minor": {
      "type": "boolean"
     }
    }
   },
   "ContactInput": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "channel",
     "summary"
    ],
    "properties": {
     "channel": {
      "type": "string",
      "enum": [
       "call",
       "letter",
       "visit"
      ]
     },
     "case_id": {
      "type": [
       "integer",
       "null"
      ],
      "description": "Attach to this case (a repeat petition) instead of opening a new one."
     },
     "petitioner_id": {
      "type": [
       "integer",
       "null"
      ],
      "description": "A petitioner found by caller lookup."
     },
     "petitioner": {
      "$ref": "#/components/schemas/PetitionerInput"
     },
     "victim": {
      "$ref": "#/components/schemas/VictimInput"
     },
     "category": {
      "$ref": "#/components/schemas/Category",
      "description": "Required for a new case; not allowed with case_id."
     },
     "summary": {
      "type": "string",
      "minLength": 1,
      "maxLength": 4000
     },
     "unit_id": {
      "type": [
       "integer",
       "null"
      ],
      "description": "Unit of a new case; default: the user's unit."
     },
     "call": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
       "sub_line": {
        "type": "string",
        "maxLength": 64,
        "default": "main"
       }
      }
     },
     "letter": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "received_on",
       "sender"
      ],
      "properties": {
       "received_on": {
        "type": "string",
        "format": "date",
        "description": "The day the letter arrived; deadlines count from it."
       },
       "sender": {
        "type": "string",
        "maxLength": 50
       },
       "on_behalf": {
        "type": "boolean",
        "default": false
       }
      }
     },
     "visit": {
      "type": "object",
      "additionalProperties": false,
      "required": [
       "window"
      ],
      "properties": {
       "window": {
        "type": "string",
        "maxLength": 64
       },
       "visitors": {
        "type": "integer",
        "minimum": 1,
        "maximum": 1000,
        "default": 1,
        "description": "5 or more is a collective petition (集体访)."
       }
      }
     }
    }
   },
   "PetitionInput": {
    "type": "object",
    "additionalProperties": false,
    "required": [
     "category",
     "summary",
     "petitioner"
    ],
    "properties": {
     "petitioner": {
      "$ref": "#/components/schemas/PetitionerInput",
      "description": "name and phone are required."
     },
     "victim": {
      "$ref": "#/components/schemas/VictimInput"
     },
     "category": {
      "$ref": "#/components/schemas/Category"
     },
     "summary": {
      "type": "string",
      "minLength": 1,
      "maxLength": 4000
     },
     "unit_id": {
      "type": [
       "integer",
       "null"
      ]
     }
    }
   },
   "Receipt": {
    "type": "object",
    "required": [
     "case_id",
     "contact_id",
     "tracking_no",
     "channel",
     "status",
     "contact_count",
     "repeat"
    ],
    "properties": {
     "case_id": {
      "type": "integer"
     },
     "contact_id": {
      "type": "integer"
     },
     "tracking_no": {
      "type": "string",
      "examples": [
       "HY20261123-000042"
      ]
     },
     "query_code": {
      "type": "string",
      "description": "New cases only, shown once: the petitioner's key to the tracking page."
     },
     "channel": {
      "type": "string"
     },
     "status": {
      "type": "string"
     },
     "contact_count": {
      "type": "integer"
     },
     "repeat": {
      "type": "boolean"
     }
    }
   },
   "Petitioner": {
    "type": "object",
    "properties": {
     "id": {
      "type": "integer"
     },
     "name": {
      "type": [
       "string",
       "null"
      ]
     },
     "phone": {
      "type": [
       "string",
       "null"
      ]
     },
     "id_number": {
      "type": [
       "string",
       "null"
      ]
     },
     "address": {
      "type": [
       "string",
       "null"
      ]
     },
     "is_minor": {
      "type": "boolean"
     }
    }
   },
   "Case": {
    "type": "object",
    "properties": {
     "id": {
      "type": "integer"
     },
     "tracking_no": {
      "type": "string"
     },
     "category": {
      "$ref": "#/components/schemas/Category"
     },
     "category_label": {
      "type": "string"
     },
     "status": {
      "type": "string"
     },
     "summary": {
      "type": [
       "string",
       "null"
      ],
      "description": "null when the case is sealed to the reader (masked)"
     },
     "unit": {
      "type": "object",
      "properties": {
       "id": {
        "type": "integer"
       },
       "name": {
        "type": "string"
       }
      }
     },
     "channel": {
      "type": "string"
     },
     "received_on": {
      "type": "string",
      "format": "date"
     },
     "contact_count": {
      "type": "integer"
     },
     "repeat": {
      "type": "boolean"
     },
     "created_at": {
      "type": "string",
      "format": "date-time"
     },
     "updated_at": {
      "type": "string",
      "format": "date-time"
     },
     "petitioner": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/Petitioner"
       },
       {
        "type": "null"
       }
      ]
     },
     "victim": {
      "description": "The person the matter is about, when named apart from the petitioner; null on a masked case.",
      "oneOf": [
       {
        "$ref": "#/components/schemas/Victim"
       },
       {
        "type": "null"
       }
      ]
     },
     "contacts": {
      "type": "array",
      "items": {
       "type": "object"
      }
     },
     "events": {
      "type": "array",
      "items": {
       "type": "object"
      }
     }
    }
   },
   "CallerLookup": {
    "type": "object",
    "properties": {
     "petitioners": {
      "type": "array",
      "items": {
       "allOf": [
        {
         "$ref": "#/components/schemas/Petitioner"
        },
        {
         "type": "object",
         "properties": {
          "cases": {
           "type": "array",
           "items": {
            "type": "object"
           }
          }
         }
        }
       ]
      }
     }
    }
   },
   "Tracking": {
    "type": "object",
    "properties": {
     "tracking_no": {
      "type": "string"
     },
     "status": {
      "type": "string"
     },
     "status_label": {
      "type": "string"
     },
     "category": {
      "type": "string"
     },
     "category_label": {
      "type": "string"
     },
     "received_on": {
      "type": "string",
      "format": "date"
     },
     "last_updated_at": {
      "type": "string",
      "format": "date-time"
     },
     "replies": {
      "type": "array",
      "items": {
       "type": "object"
      }
     }
    }
   },
   "ClockList": {
    "type": "object",
    "properties": {
     "status": {
      "type": "string",
      "enum": [
       "due_soon",
       "overdue"
      ]
     },
     "unit_id": {
      "type": "integer"
     },
     "calendar_warning": {
      "type": [
       "string",
       "null"
      ],
      "description": "Set when the holiday notice of the current (from 1 December also the next) year is not imported: dates count weekends only."
     },
     "clocks": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "clock_id": {
         "type": "integer"
        },
        "kind": {
         "type": "string"
        },
        "kind_label": {
         "type": "string"
        },
        "case_id": {
         "type": "integer"
        },
        "tracking_no": {
         "type": "string"
        },
        "category": {
         "type": "string"
        },
        "channel": {
         "type": "string"
        },
        "unit": {
         "type": "object",
         "properties": {
          "id": {
           "type": "integer"
          },
          "name": {
           "type": "string"
          }
         }
        },
        "due_on": {
         "type": "string",
         "format": "date"
        },
        "due_at": {
         "type": "string",
         "format": "date-time"
        },
        "days_overdue": {
         "type": "integer"
        },
        "reminded": {
         "type": "boolean"
        },
        "notice_issued": {
         "type": "boolean"
        }
       }
      }
     }
    }
   },
   "UnitFigures": {
    "type": "object",
    "properties": {
     "calendar_warning": {
      "type": [
       "string",
       "null"
      ]
     },
     "units": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "unit_id": {
         "type": "integer"
        },
        "name": {
         "type": "string"
        },
        "open_cases": {
         "type": "integer"
        },
        "due_soon": {
         "type": "integer"
        },
        "overdue": {
         "type": "integer"
        },
        "on_time_rate": {
         "type": [
          "number",
          "null"
         ],
         "description": "按期率: clocks met on time / (stopped clocks + running clocks past their due day, which count as late); null while there is none of these."
        }
       }
      }
     }
    }
   },
   "Notifications": {
    "type": "object",
    "properties": {
     "notifications": {
      "type": "array",
      "items": {
       "type": "object",
       "properties": {
        "id": {
         "type": "integer"
        },
        "kind": {
         "type": "string",
         "enum": [
          "due_soon",
          "reminder",
          "notice",
          "leadership_proposed"
         ]
        },
        "case_id": {
         "type": "integer"
        },
        "tracking_no": {
         "type": "string"
        },
        "unit_id": {
         "type": "integer"
        },
        "detail": {
         "type": "object"
        },
        "created_at": {
         "type": "string",
         "format": "date-time"
        },
        "read_at": {
         "type": [
          "string",
          "null"
         ],
         "format": "date-time"
        }
       }
      }
     }
    }
   },
   "StepResult": {
    "type": "object",
    "properties": {
     "case_id": {
      "type": "integer"
     },
     "event": {
      "type": "string"
     },
     "document": {
      "oneOf": [
       {
        "type": "null"
       },
       {
        "$ref": "#/components/schemas/Document"
       }
      ]
     }
    }
   },
   "Document": {
    "type": "object",
    "description": "A written notice as issued (受理告知书, 不予受理告知书, 答复意见书, 复查意见书, 复核意见书).",
    "properties": {
     "id": {
      "type": "integer"
     },
     "kind": {
      "type": "string",
      "enum": [
       "acceptance_notice",
       "decline_notice",
       "reply",
       "review_opinion",
       "rereview_opinion"
      ]
     },
     "number": {
      "type": "string",
      "description": "文号, e.g. 宜昌市妇联信受〔2026〕15号"
     },
     "title": {
      "type": "string"
     },
     "body": {
      "type": "string"
     },
     "issued_on": {
      "type": "string",
      "format": "date"
     },
     "issued_at": {
      "type": "string",
      "format": "date-time"
     },
     "print_url": {
      "type": "string"
     }
    }
   },
   "CaseListItem": {
    "type": "object",
    "description": "One row of a list. A masked (sealed) row has summary, petitioner_name and petitioner_phone null; phone numbers are masked (138****8000).",
    "properties": {
     "id": {},
     "tracking_no": {},
     "category": {},
     "category_label": {},
     "status": {},
     "status_label": {},
     "unit": {},
     "channel": {},
     "received_on": {},
     "contact_count": {},
     "repeat": {},
     "created_at": {},
     "updated_at": {},
     "sealed": {},
     "masked": {},
     "summary": {},
     "petitioner_name": {},
     "petitioner_phone": {},
     "handler_id": {},
     "leader_id": {},
     "risk_grade": {},
     "visitors": {
      "description": "The largest head count of the case's visits; null if no visit"
     },
     "collective": {
      "description": "A visit of 5 or more (集体访)"
     },
     "next_due_on": {
      "description": "The nearest due day of its running clocks; null if none runs"
     }
    }
   }
  },
  "responses": {
   "E400": {
    "description": "invalid_json: the body is not JSON",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E401": {
    "description": "unauthorized: missing or unknown token",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E404": {
    "description": "not_found",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E405": {
    "description": "method_not_allowed, with Allow",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E413": {
    "description": "payload_too_large",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E422": {
    "description": "validation_failed (every bad field listed) or idempotency_key_reused",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E429": {
    "description": "too_many_attempts, with Retry-After",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E500": {
    "description": "internal_error, with request_id",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E503": {
    "description": "database_unavailable, with Retry-After",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E409": {
    "description": "invalid_transition: the case's state does not allow it",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   },
   "E403": {
    "description": "Forbidden: her role or place does not allow this (`forbidden`), or a signed-in console request without its CSRF token (`csrf_failed`).",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   }
  }
 },
 "paths": {
  "/api/v1/contacts": {
   "post": {
    "summary": "Log a call, letter or visit",
    "operationId": "recordContact",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ContactInput"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Recorded and committed.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Receipt"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "413": {
      "$ref": "#/components/responses/E413"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/petitions": {
   "post": {
    "summary": "File an online petition (public)",
    "operationId": "filePetition",
    "security": [],
    "parameters": [
     {
      "$ref": "#/components/parameters/IdempotencyKey"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PetitionInput"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Recorded; keep the tracking number and query code.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Receipt"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "413": {
      "$ref": "#/components/responses/E413"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}": {
   "get": {
    "summary": "A case with its contacts and events",
    "operationId": "getCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The case.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Case"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/petitioners": {
   "get": {
    "summary": "Caller lookup by phone number",
    "operationId": "lookupCaller",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "phone",
      "in": "query",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Everyone with this number and their cases, newest first.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/CallerLookup"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/track/{tracking_no}": {
   "get": {
    "summary": "The petitioner's view of her case (public)",
    "operationId": "trackCase",
    "security": [],
    "parameters": [
     {
      "name": "tracking_no",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "X-Query-Code",
      "in": "header",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "code",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The query code, if not sent as X-Query-Code."
     }
    ],
    "responses": {
     "200": {
      "description": "Status and replies; never staff notes.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Tracking"
        }
       }
      }
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/healthz": {
   "get": {
    "summary": "Liveness",
    "operationId": "health",
    "security": [],
    "responses": {
     "200": {
      "description": "The process answers."
     }
    }
   }
  },
  "/readyz": {
   "get": {
    "summary": "Readiness: database reachable and migrations current",
    "operationId": "ready",
    "security": [],
    "responses": {
     "200": {
      "description": "Ready; `database` names the host and port of the server (the primary) it reached."
     },
     "503": {
      "description": "Database away or migrations pending."
     }
    }
   }
  },
  "/metrics": {
   "get": {
    "summary": "Prometheus metrics",
    "operationId": "metrics",
    "security": [],
    "responses": {
     "200": {
      "description": "Text exposition format.",
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/api/openapi.json": {
   "get": {
    "summary": "This document",
    "operationId": "openapi",
    "security": [],
    "responses": {
     "200": {
      "description": "OpenAPI 3.1.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/supervision/clocks": {
   "get": {
    "summary": "Running clocks due soon or overdue in a unit's subtree, oldest breach first",
    "operationId": "supervisionClocks",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "due_soon",
        "overdue"
       ]
      },
      "description": "due_soon (within the warning lead time) or overdue (default)"
     },
     {
      "name": "unit_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "A unit in the caller's subtree; default the caller's unit. Outside it answers 404."
     },
     {
      "name": "channel",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "call, letter, visit or online"
     },
     {
      "name": "kind",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "a clock kind, e.g. acceptance"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "1–500, default 100"
     }
    ],
    "responses": {
     "200": {
      "description": "The clocks.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ClockList"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/supervision/units": {
   "get": {
    "summary": "Per-unit figures: open, due soon, overdue, on-time rate (the unit and each unit directly below)",
    "operationId": "supervisionUnits",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "unit_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "A unit in the caller's subtree; default the caller's unit. Outside it answers 404."
     }
    ],
    "responses": {
     "200": {
      "description": "The figures.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/UnitFigures"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/notifications": {
   "get": {
    "summary": "The current user's notifications (her unit, her audience), newest first",
    "operationId": "notifications",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "unread",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "true: only unread"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "1–500, default 100"
     }
    ],
    "responses": {
     "200": {
      "description": "The notifications.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Notifications"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/notifications/{id}/read": {
   "post": {
    "summary": "Mark a notification read (idempotent)",
    "operationId": "markNotificationRead",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Marked."
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/cases/{id}/extensions": {
   "post": {
    "summary": "One extension of a running clock (handling ≤ 30d, leader ownership ≤ 1m), with approver and the reason told to the petitioner",
    "operationId": "extendClock",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "clock": {
          "type": "string",
          "enum": [
           "handling",
           "leader_ownership"
          ]
         },
         "limit": {
          "type": "string",
          "examples": [
           "30d"
          ]
         },
         "approver": {
          "type": "string",
          "maxLength": 2000
         },
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "clock",
         "limit",
         "approver",
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done; the case event is recorded and the clocks moved."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/cases/{id}/leader": {
   "post": {
    "summary": "领导包案: a leader of the case's unit or above owns it; the 3-month clock starts",
    "operationId": "assignLeader",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "leader_id": {
          "type": "integer"
         },
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "leader_id",
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done; the case event is recorded and the clocks moved."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/cases/{id}/progress": {
   "post": {
    "summary": "A progress report by the owning leader",
    "operationId": "reportProgress",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "note": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "note"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done; the case event is recorded and the clocks moved."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/leaders/{id}/cases": {
   "get": {
    "summary": "A leader's responsibility list (责任清单) with each case's running clocks",
    "operationId": "leaderCases",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "Her cases.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "cases": {
           "type": "array",
           "items": {
            "type": "object"
           }
          }
         }
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/cases/{id}/clocks/{kind}/pause": {
   "post": {
    "summary": "Pause a running clock (time that does not count, e.g. a hearing)",
    "operationId": "pauseClock",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "kind",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "enum": [
        "acceptance",
        "transfer_objection",
        "handling",
        "review_request",
        "review_decision",
        "rereview_request",
        "rereview_decision",
        "leader_ownership"
       ]
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "required": [
         "reason"
        ],
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        }
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Paused; it leaves the sweep until resumed."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/cases/{id}/clocks/{kind}/resume": {
   "post": {
    "summary": "Resume a paused clock; its due day moves by the paused time in the rule's unit",
    "operationId": "resumeClock",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "kind",
      "in": "path",
      "required": true,
      "schema": {
       "type": "string",
       "enum": [
        "acceptance",
        "transfer_objection",
        "handling",
        "review_request",
        "review_decision",
        "rereview_request",
        "rereview_decision",
        "leader_ownership"
       ]
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Running again with its new due day."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     }
    }
   }
  },
  "/api/v1/cases/{id}/accept": {
   "post": {
    "summary": "受理: accept; issues the 受理告知书 with its number; stops the acceptance clock, starts handling",
    "operationId": "acceptCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/decline": {
   "post": {
    "summary": "不予受理: decline with a reason; issues the 不予受理告知书; stops the acceptance clock",
    "operationId": "declineCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/transfer": {
   "post": {
    "summary": "转办/交办: send the case to a unit below, whose objection clock starts",
    "operationId": "transferCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "unit_id": {
          "type": "integer"
         },
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "unit_id"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/transfer/accept": {
   "post": {
    "summary": "The receiving unit takes the transferred case (back to its earlier status)",
    "operationId": "acceptTransfer",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/transfer/object": {
   "post": {
    "summary": "The receiving unit objects with a reason: the case returns to the sending unit, which is notified",
    "operationId": "objectTransfer",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/reply": {
   "post": {
    "summary": "答复: the written reply (答复意见书); stops handling, opens the 30 days to ask for review",
    "operationId": "replyCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "text": {
          "type": "string",
          "maxLength": 2000,
          "description": "The handling opinion."
         },
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "text"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/close": {
   "post": {
    "summary": "办结: close a replied case; refused (409 required_task_open) while a mandatory, police or direct report is open, (409 referral_open) while a referral has no outcome recorded",
    "operationId": "closeCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/review/request": {
   "post": {
    "summary": "复查: record the petitioner's review request (within its period; 409 request_window_closed after)",
    "operationId": "requestReview",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/review/decision": {
   "post": {
    "summary": "复查 decision by the unit above the one that replied (403 for any other): upheld or changed; issues the numbered 复查意见书",
    "operationId": "decideReview",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "decision": {
          "type": "string",
          "enum": [
           "upheld",
           "changed"
          ]
         },
         "text": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "decision",
         "text"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/rereview/request": {
   "post": {
    "summary": "复核: record the petitioner's re-review request",
    "operationId": "requestRereview",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/rereview/decision": {
   "post": {
    "summary": "复核 decision by the unit above the one that decided the 复查 (403 for any other): final; issues the numbered 复核意见书",
    "operationId": "decideRereview",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "decision": {
          "type": "string",
          "enum": [
           "upheld",
           "changed"
          ]
         },
         "text": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "decision",
         "text"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "Done: the event is recorded and the clocks moved; the notice issued, if any.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/StepResult"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/referrals": {
   "post": {
    "summary": "Refer to a lawyer, psychologist, mediator or the police (no mediation for a high-risk case: 409 no_mediation_high_risk)",
    "operationId": "referCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "kind": {
          "type": "string",
          "enum": [
           "lawyer",
           "psychologist",
           "mediator",
           "police"
          ]
         },
         "referred_to": {
          "type": "string",
          "maxLength": 2000
         },
         "note": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "kind",
         "referred_to"
        ]
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The referral's id.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "id": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/referrals/{referral}/outcome": {
   "post": {
    "summary": "What came of a referral",
    "operationId": "referralOutcome",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "referral",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "outcome": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "outcome"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/follow-ups": {
   "post": {
    "summary": "回访: a follow-up visit or call with satisfaction; an unsatisfied petitioner's closed case may be reopened",
    "operationId": "followUp",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "method": {
          "type": "string",
          "enum": [
           "visit",
           "call"
          ]
         },
         "satisfaction": {
          "type": "string",
          "enum": [
           "satisfied",
           "basically_satisfied",
           "unsatisfied"
          ]
         },
         "note": {
          "type": "string",
          "maxLength": 2000
         },
         "reopen": {
          "type": "boolean"
         }
        },
        "required": [
         "method",
         "satisfaction"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/handler": {
   "post": {
    "summary": "Name the handler: a supervisor or leader assigns one of the unit's handlers, or a handler takes it herself",
    "operationId": "assignHandler",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "handler_id": {
          "type": "integer"
         }
        },
        "required": [
         "handler_id"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/seal": {
   "post": {
    "summary": "Seal a sensitive case by hand (domestic violence, sexual assault and minors' cases are sealed from the start)",
    "operationId": "sealCase",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/risk-assessments": {
   "post": {
    "summary": "Domestic-violence danger checklist: low ≤ 3, medium 4–5, high ≥ 6 points; some answers make it high. High: no mediation, police and direct reports required, shorter clocks, follow-ups scheduled",
    "operationId": "assessRisk",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "answers": {
          "type": "object",
          "additionalProperties": {
           "type": "boolean"
          },
          "description": "Every question of GET /api/v1/risk-checklist, by id."
         }
        },
        "required": [
         "answers"
        ]
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "The grade.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "score": {
           "type": "integer"
          },
          "grade": {
           "type": "string",
           "enum": [
            "low",
            "medium",
            "high"
           ]
          },
          "grade_label": {
           "type": "string"
          },
          "decisive": {
           "type": "array",
           "items": {
            "type": "string"
           }
          },
          "mandatory_reports": {
           "type": "array",
           "items": {
            "type": "string"
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/sub-lines": {
   "get": {
    "summary": "The configured 12338 sub-lines: main, professional (with the referral each suggests) and regional (with its county unit, a new case's default unit)",
    "operationId": "listSubLines",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The lines, main first, then professional, then regional: `{\"sub_lines\":[{\"code\",\"name\",\"kind\",\"unit\":{\"id\",\"name\"}|null,\"referral\"}]}`. A call's `call.sub_line` must be one of these codes.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "401": {
      "$ref": "#/components/responses/E401"
     }
    }
   }
  },
  "/api/v1/risk-checklist": {
   "get": {
    "summary": "The danger checklist's questions and thresholds",
    "operationId": "riskChecklist",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The checklist.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/mandatory-reports": {
   "post": {
    "summary": "强制报告: require a report to the police, due at once; the case cannot close until it is recorded; overdue it goes to the city supervisors",
    "operationId": "requireMandatoryReport",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "enum": [
           "minor_sexual_assault",
           "minor_pregnancy_under_14",
           "violence_without_full_capacity"
          ]
         },
         "note": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/tasks/{task}/complete": {
   "post": {
    "summary": "Record a required report as made: for the police reported_at, station and receipt_no; for a direct report reported_to",
    "operationId": "completeTask",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "task",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": false,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reported_at": {
          "type": "string",
          "maxLength": 2000,
          "description": "When the police took the report: local time in the configured zone as typed (2026-11-29 22:30, 2026-11-29T22:30, 2026年11月29日 22:30), or ISO 8601 with an offset. Stored as ISO 8601 with the zone's offset.",
          "examples": [
           "2026-11-29 22:30"
          ]
         },
         "station": {
          "type": "string",
          "maxLength": 2000
         },
         "receipt_no": {
          "type": "string",
          "maxLength": 2000
         },
         "reported_to": {
          "type": "string",
          "maxLength": 2000
         },
         "note": {
          "type": "string",
          "maxLength": 2000
         }
        }
       }
      }
     }
    },
    "responses": {
     "204": {
      "description": "Done."
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/break-glass": {
   "post": {
    "summary": "A supervisor opens a sealed case outside her circle with a written reason; the read is flagged for review",
    "operationId": "breakGlass",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
         "reason": {
          "type": "string",
          "maxLength": 2000
         }
        },
        "required": [
         "reason"
        ]
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The case, opened.",
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Case"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/access-log": {
   "get": {
    "summary": "Who read the case, when, in which view, and every broken seal (supervisors)",
    "operationId": "accessLog",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The reads, oldest first.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "reads": {
           "type": "array",
           "items": {
            "type": "object"
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases": {
   "get": {
    "summary": "Cases of her unit and its subtree, newest first; sealed cases outside her circle masked",
    "operationId": "listCases",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A case status"
     },
     {
      "name": "category",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A category"
     },
     {
      "name": "unit_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "A unit of her subtree: that unit and below"
     },
     {
      "name": "tracking_no",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "Exact tracking number"
     },
     {
      "name": "q",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "maxLength": 100
      },
      "description": "Search: tracking number, phone, name or words of the summary (the last three only in cases she may open)"
     },
     {
      "name": "mine",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only cases she handles or owns as leader"
     },
     {
      "name": "channel",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The first contact's channel: call, letter, visit or online"
     },
     {
      "name": "sealed",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "true: only sealed cases; false: only unsealed ones"
     },
     {
      "name": "received_from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Received on or after this day"
     },
     {
      "name": "received_to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Received on or before this day"
     },
     {
      "name": "overdue",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only cases with a running clock past its due day"
     },
     {
      "name": "collective",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only collective visits (a visit of 5 or more)"
     },
     {
      "name": "before_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "Page: cases with a smaller id"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 500
      },
      "description": "Default 50"
     }
    ],
    "responses": {
     "200": {
      "description": "A page of cases.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "cases": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/CaseListItem"
           }
          },
          "next_before_id": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/count": {
   "get": {
    "summary": "How many cases in her scope match the filters",
    "operationId": "countCases",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A case status"
     },
     {
      "name": "category",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A category"
     },
     {
      "name": "unit_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "A unit of her subtree: that unit and below"
     },
     {
      "name": "tracking_no",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "Exact tracking number"
     },
     {
      "name": "q",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "maxLength": 100
      },
      "description": "Search: tracking number, phone, name or words of the summary (the last three only in cases she may open)"
     },
     {
      "name": "mine",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only cases she handles or owns as leader"
     },
     {
      "name": "channel",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The first contact's channel: call, letter, visit or online"
     },
     {
      "name": "sealed",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "true: only sealed cases; false: only unsealed ones"
     },
     {
      "name": "received_from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Received on or after this day"
     },
     {
      "name": "received_to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Received on or before this day"
     },
     {
      "name": "overdue",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only cases with a running clock past its due day"
     },
     {
      "name": "collective",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only collective visits (a visit of 5 or more)"
     },
     {
      "name": "before_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "Page: cases with a smaller id"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 500
      },
      "description": "Default 50"
     }
    ],
    "responses": {
     "200": {
      "description": "The count.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "count": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/export.csv": {
   "get": {
    "summary": "The list as CSV (UTF-8 with BOM, Chinese headings, phone numbers masked, every sealed row masked whoever asks), at most 10,000 rows; each export is recorded (who, when, filter, rows)",
    "operationId": "exportCases",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A case status"
     },
     {
      "name": "category",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "A category"
     },
     {
      "name": "unit_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "A unit of her subtree: that unit and below"
     },
     {
      "name": "tracking_no",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "Exact tracking number"
     },
     {
      "name": "q",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "maxLength": 100
      },
      "description": "Search: tracking number, phone, name or words of the summary (the last three only in cases she may open)"
     },
     {
      "name": "mine",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only cases she handles or owns as leader"
     },
     {
      "name": "channel",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      },
      "description": "The first contact's channel: call, letter, visit or online"
     },
     {
      "name": "sealed",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "true: only sealed cases; false: only unsealed ones"
     },
     {
      "name": "received_from",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Received on or after this day"
     },
     {
      "name": "received_to",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "format": "date"
      },
      "description": "Received on or before this day"
     },
     {
      "name": "overdue",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only cases with a running clock past its due day"
     },
     {
      "name": "collective",
      "in": "query",
      "required": false,
      "schema": {
       "type": "boolean"
      },
      "description": "Only collective visits (a visit of 5 or more)"
     },
     {
      "name": "before_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "Page: cases with a smaller id"
     },
     {
      "name": "limit",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer",
       "minimum": 1,
       "maximum": 500
      },
      "description": "Default 50"
     }
    ],
    "responses": {
     "200": {
      "description": "CSV",
      "content": {
       "text/csv": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/login": {
   "get": {
    "summary": "Console sign-in page (sets the login form's CSRF cookie)",
    "operationId": "loginPage",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "An HTML page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Sign in: a session cookie (HttpOnly, SameSite=Strict, Secure over TLS) and a redirect home; failures throttled per account and per address",
    "operationId": "login",
    "tags": [
     "console"
    ],
    "parameters": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "username": {
          "type": "string"
         },
         "password": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "401": {
      "description": "The login page again, with the error.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "429": {
      "description": "Too many failed logins; Retry-After.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/logout": {
   "get": {
    "summary": "A page (in Chinese) with the sign-out button: signing out is a POST with the form's token; signed out, the login page",
    "operationId": "logoutPage",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The sign-out page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Not signed in: to the login page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Sign out: the session ends on every instance",
    "operationId": "logout",
    "tags": [
     "console"
    ],
    "parameters": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/": {
   "get": {
    "summary": "Home page for her role (redirects to /login without a session)",
    "operationId": "home",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "An HTML page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases/{case}/documents/{id}": {
   "get": {
    "summary": "A written notice as issued, printable (a read of the case, audited)",
    "operationId": "printDocument",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "case",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "An HTML page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/risk-checklist/grade": {
   "post": {
    "summary": "Grade a set of checklist answers without saving (the call screen shows it as the operator answers)",
    "operationId": "gradeRisk",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "additionalProperties": false,
        "required": [
         "answers"
        ],
        "properties": {
         "answers": {
          "type": "object",
          "additionalProperties": {
           "type": "boolean"
          }
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The grade.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "score": {
           "type": "integer"
          },
          "grade": {
           "type": "string"
          },
          "grade_label": {
           "type": "string"
          },
          "decisive": {
           "type": "array",
           "items": {
            "type": "string"
           }
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/api/v1/cases/{id}/attachments": {
   "post": {
    "summary": "A letter's scan kept with the case: the file as the raw body, Content-Type application/pdf or image/jpeg (checked against the content), at most the body limit",
    "operationId": "attachScan",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "contact_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      },
      "description": "The letter's contact"
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/pdf": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      },
      "image/jpeg": {
       "schema": {
        "type": "string",
        "format": "binary"
       }
      }
     }
    },
    "responses": {
     "201": {
      "description": "Stored.",
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "id": {
           "type": "integer"
          },
          "size": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "409": {
      "$ref": "#/components/responses/E409"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     },
     "413": {
      "$ref": "#/components/responses/E413"
     }
    }
   }
  },
  "/static/console.css": {
   "get": {
    "summary": "The console's stylesheet (served by Huiyin itself: no CDN)",
    "operationId": "consoleStyles",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/css": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/static/console.js": {
   "get": {
    "summary": "The console's script: caller lookup as you type, drafts kept in the browser, live risk grade, Ctrl+Enter",
    "operationId": "consoleScript",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/javascript": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/call": {
   "get": {
    "summary": "来电登记: the call screen",
    "operationId": "callScreen",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/reception": {
   "get": {
    "summary": "接访: today's roster, queue numbers, visit and letter registration",
    "operationId": "receptionWindow",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "issued",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/reception/tickets": {
   "post": {
    "summary": "Issue the next queue number, or call the next one (do=issue|call)",
    "operationId": "queueTicket",
    "tags": [
     "console"
    ],
    "parameters": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "do": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/roster": {
   "get": {
    "summary": "The reception roster for two weeks",
    "operationId": "roster",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Put a cadre of the unit on the roster",
    "operationId": "addShift",
    "tags": [
     "console"
    ],
    "parameters": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "day": {
          "type": "string"
         },
         "period": {
          "type": "string"
         },
         "user_id": {
          "type": "string"
         },
         "window": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "422": {
      "description": "The form again, with what to fix.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/roster/{id}/remove": {
   "post": {
    "summary": "Take a future shift off the roster",
    "operationId": "removeShift",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases": {
   "get": {
    "summary": "案件查询: search and list within her scope, with CSV export",
    "operationId": "caseList",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "q",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases/{id}": {
   "get": {
    "summary": "The case page: timeline, clocks with working-day countdowns, her actions, notices; masked with the break-glass form when sealed to her",
    "operationId": "casePage",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "done",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases/{id}/break-glass": {
   "post": {
    "summary": "Open a sealed case with a written reason (supervisors; flagged)",
    "operationId": "casePageBreakGlass",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "reason": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases/{id}/actions": {
   "post": {
    "summary": "Take an action from the case page (the same store calls as the API)",
    "operationId": "caseAction",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "action": {
          "type": "string"
         },
         "text": {
          "type": "string"
         },
         "unit_id": {
          "type": "string"
         },
         "decision": {
          "type": "string"
         },
         "method": {
          "type": "string"
         },
         "satisfaction": {
          "type": "string"
         },
         "reopen": {
          "type": "string"
         },
         "kind": {
          "type": "string"
         },
         "referred_to": {
          "type": "string"
         },
         "clock": {
          "type": "string"
         },
         "limit": {
          "type": "string"
         },
         "approver": {
          "type": "string"
         },
         "leader_id": {
          "type": "string"
         },
         "report_reason": {
          "type": "string",
          "description": "action=mandatory_report: minor_sexual_assault, minor_pregnancy_under_14 or violence_without_full_capacity."
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases/{id}/tasks/{task}": {
   "post": {
    "summary": "Record a required report as made",
    "operationId": "caseTaskDone",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "task",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "reported_at": {
          "type": "string"
         },
         "station": {
          "type": "string"
         },
         "receipt_no": {
          "type": "string"
         },
         "reported_to": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases/{id}/referrals/{referral}/outcome": {
   "post": {
    "summary": "Record what came of a referral (the case page's 转介 card); until then the case cannot close",
    "operationId": "caseReferralOutcome",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     },
     {
      "name": "referral",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "required": [
         "outcome"
        ],
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "outcome": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The case page again, saying in Chinese what was wrong (an empty outcome, one already recorded).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Recorded: back to the case page (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/cases/{id}/progress": {
   "post": {
    "summary": "A leader's progress report from her responsibility list",
    "operationId": "leaderProgress",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "note": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/attachments/{id}": {
   "get": {
    "summary": "A letter's scan, for those who may open its case (audited)",
    "operationId": "scan",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "application/pdf": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "application/pdf": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "application/pdf": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/inbox": {
   "get": {
    "summary": "Handler's inbox: her unit's open cases, nearest deadline first",
    "operationId": "handlerInbox",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/dashboard": {
   "get": {
    "summary": "督办: due soon and overdue by unit with drill-down, on-time rates (SVG bars), 30-day trend (SVG line), reminders and notices sent, leadership proposals",
    "operationId": "supervisorDashboard",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "unit_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/leader": {
   "get": {
    "summary": "包案责任清单 with progress reports",
    "operationId": "leaderList",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "303": {
      "description": "Redirect (to /login without a session).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/petition": {
   "get": {
    "summary": "The public online petition form (mobile-first, no login)",
    "operationId": "publicPetitionPage",
    "tags": [
     "console"
    ],
    "parameters": [],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "File an online petition from the public form: the tracking number and query code",
    "operationId": "publicPetition",
    "tags": [
     "console"
    ],
    "parameters": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "name": {
          "type": "string"
         },
         "phone": {
          "type": "string"
         },
         "category": {
          "type": "string"
         },
         "summary": {
          "type": "string"
         },
         "victim_relation": {
          "type": "string",
          "description": "Whose matter it is (VictimInput.relation); self when left out."
         },
         "victim_age": {
          "type": "string"
         },
         "victim_minor": {
          "type": "string",
          "description": "yes: the person concerned is under 18."
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "422": {
      "description": "The form again, with what to fix.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/track": {
   "get": {
    "summary": "The public tracking form",
    "operationId": "publicTrackPage",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "tracking_no",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "post": {
    "summary": "Her case's status, notices and review period, by tracking number and query code (throttled)",
    "operationId": "publicTrack",
    "tags": [
     "console"
    ],
    "parameters": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "tracking_no": {
          "type": "string"
         },
         "code": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "200": {
      "description": "The page (zh-CN).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "404": {
      "description": "Not found or not in her scope.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "429": {
      "description": "Too many failed attempts.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/api/v1/supervision/clocks.csv": {
   "get": {
    "summary": "The supervision list as CSV (UTF-8 with BOM, Chinese headings, no personal data); each export is recorded (who, when, filter, rows)",
    "operationId": "supervisionClocksCSV",
    "security": [
     {
      "bearer": []
     },
     {
      "session": []
     }
    ],
    "parameters": [
     {
      "name": "status",
      "in": "query",
      "required": false,
      "schema": {
       "type": "string",
       "enum": [
        "overdue",
        "due_soon"
       ]
      }
     },
     {
      "name": "unit_id",
      "in": "query",
      "required": false,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "description": "CSV",
      "content": {
       "text/csv": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "403": {
      "$ref": "#/components/responses/E403"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "422": {
      "$ref": "#/components/responses/E422"
     },
     "500": {
      "$ref": "#/components/responses/E500"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    }
   }
  },
  "/notifications/read": {
   "post": {
    "summary": "Mark her unread notifications of one kind about one case read (kind and case_id), or all of them (neither)",
    "operationId": "consoleNotificationsRead",
    "tags": [
     "console"
    ],
    "parameters": [],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         },
         "kind": {
          "type": "string"
         },
         "case_id": {
          "type": "integer"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Back to the home page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  },
  "/notifications/{id}/read": {
   "post": {
    "summary": "Mark one of her notifications read from the home page",
    "operationId": "consoleNotificationRead",
    "tags": [
     "console"
    ],
    "parameters": [
     {
      "name": "id",
      "in": "path",
      "required": true,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "requestBody": {
     "required": true,
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "type": "object",
        "properties": {
         "_csrf": {
          "type": "string"
         }
        }
       }
      }
     }
    },
    "responses": {
     "303": {
      "description": "Back to the home page.",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     },
     "403": {
      "description": "Expired form (CSRF).",
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      }
     }
    }
   }
  }
 }
}
"""#
}
