package io.capconduit.telephony;

import java.util.LinkedHashMap;
import java.util.Map;

import org.asteriskjava.manager.action.HangupAction;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.action.SetVarAction;

/**
 * The AMI actions one app instance may have another send for it (those call control sends: Hangup, Setvar,
 * Redirect, Originate), as the fields written to ami_forwarded_actions and read back there. Only the fields call
 * control sets travel; an action of any other kind is never forwarded. None carries a secret, yet the fields are
 * never logged: a channel variable could.
 */
final class AmiForwardedActions {

    private AmiForwardedActions() {
    }

    static boolean forwards(ManagerAction action) {
        return action instanceof HangupAction || action instanceof SetVarAction || action instanceof RedirectAction
                || action instanceof OriginateAction;
    }

    static Map<String, Object> fields(ManagerAction action) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (action instanceof HangupAction hangup) {
            fields.put("channel", hangup.getChannel());
            fields.put("cause", hangup.getCause());
        }
        else if (action instanceof SetVarAction set) {
            fields.put("channel", set.getChannel());
            fields.put("variable", set.getVariable());
            fields.put("value", set.getValue());
        }
        else if (action instanceof RedirectAction redirect) {
            fields.put("channel", redirect.getChannel());
            fields.put("context", redirect.getContext());
            fields.put("exten", redirect.getExten());
            fields.put("priority", redirect.getPriority());
        }
        else if (action instanceof OriginateAction originate) {
            originateFields(originate, fields);
        }
        else {
            throw new IllegalArgumentException("AMI action " + action.getAction() + " is not forwarded");
        }
        return fields;
    }

    private static void originateFields(OriginateAction originate, Map<String, Object> fields) {
        fields.put("channel", originate.getChannel());
        fields.put("context", originate.getContext());
        fields.put("exten", originate.getExten());
        fields.put("priority", originate.getPriority());
        fields.put("timeout", originate.getTimeout());
        fields.put("async", originate.getAsync());
        fields.put("callerId", originate.getCallerId());
        fields.put("channelId", originate.getChannelId());
        fields.put("actionId", originate.getActionId());
        fields.put("variables", originate.getVariables());
    }

    /** The action {@link #fields} wrote, as the asking instance built it. */
    static ManagerAction action(String name, Map<String, Object> fields) {
        return switch (name) {
            case "Hangup" -> hangup(fields);
            case "SetVar" -> new SetVarAction(text(fields, "channel"), text(fields, "variable"), text(fields, "value"));
            case "Redirect" -> new RedirectAction(text(fields, "channel"), text(fields, "context"),
                    text(fields, "exten"), integer(fields, "priority"));
            case "Originate" -> originate(fields);
            default -> throw new IllegalArgumentException("AMI action " + name + " is not forwarded");
        };
    }

    private static HangupAction hangup(Map<String, Object> fields) {
        Integer cause = integer(fields, "cause");
        return cause == null ? new HangupAction(text(fields, "channel"))
                : new HangupAction(text(fields, "channel"), cause);
    }

    @SuppressWarnings("unchecked")
    private static OriginateAction originate(Map<String, Object> fields) {
        OriginateAction originate = new OriginateAction();
        originate.setChannel(text(fields, "channel"));
        originate.setContext(text(fields, "context"));
        originate.setExten(text(fields, "exten"));
        originate.setPriority(integer(fields, "priority"));
        Number timeout = (Number) fields.get("timeout");
        originate.setTimeout(timeout == null ? null : timeout.longValue());
        originate.setAsync((Boolean) fields.get("async"));
        originate.setCallerId(text(fields, "callerId"));
        originate.setChannelId(text(fields, "channelId"));
        originate.setActionId(text(fields, "actionId"));
        Map<String, String> variables = (Map<String, String>) fields.get("variables");
        if (variables != null) {
            originate.setVariables(new LinkedHashMap<>(variables));
        }
        return originate;
    }

    private static String text(Map<String, Object> fields, String name) {
        return (String) fields.get(name);
    }

    private static Integer integer(Map<String, Object> fields, String name) {
        Number value = (Number) fields.get(name);
        return value == null ? null : value.intValue();
    }
}
